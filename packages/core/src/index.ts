export * from "./config";
export * from "./errors";
export * from "./policies";
export * from "./tokens";
export * from "./schemas";
export * from "./storage/storage";
export * from "./storage/s3-storage";
export * from "./storage/create-storage";
