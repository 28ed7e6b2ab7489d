export * from "./databases";
export * from "./factories";
export * from "./fake-github";
export * from "./smtp";
export * from "./fake-datacite";
