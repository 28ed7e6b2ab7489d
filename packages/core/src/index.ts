export * from "./config";
export * from "./errors";
export * from "./policies";
export * from "./tokens";
export * from "./schemas";
