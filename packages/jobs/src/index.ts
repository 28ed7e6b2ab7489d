export * from "./availability";
export * from "./connection";
export * from "./definitions";
export * from "./jobs-client";
export * from "./throttled-error-log";
