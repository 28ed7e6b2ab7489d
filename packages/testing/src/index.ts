export * from "./databases";
export * from "./factories";
