import type { TJobName, TJobPayload } from "@dandi/jobs";
import type { WorkerDeps } from "../deps";

/** What a handler reports. Handlers throw only for failures worth a retry. */
export type THandlerResult = { status: "success" | "skipped" | "failed"; detail?: unknown };

export type THandler<N extends TJobName> = (payload: TJobPayload<N>, deps: WorkerDeps) => Promise<THandlerResult>;
