export * from "./availability";
export * from "./connection";
export * from "./definitions";
export * from "./jobs-client";
export * from "./request-context";
export * from "./throttled-error-log";
