export * from "./databases";
export * from "./factories";
export * from "./moto";
export * from "./fake-github";
export * from "./smtp";
export * from "./fake-datacite";
export * from "./sentry";
export * from "./processes";
