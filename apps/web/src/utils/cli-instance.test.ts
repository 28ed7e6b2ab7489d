import { describe, expect, it } from "vitest";
import { describeCliInstance } from "./cli-instance";

// Expected names as dandi-cli computes them (dandi/utils.py _get_instance, dandiapi.py api_key_env_var).
describe("describeCliInstance", () => {
  it("names a known instance as dandi-cli's known_instances do", () => {
    const local = describeCliInstance("http://localhost:8000/api/");
    expect(local).toMatchObject({ name: "dandi-api-local-docker-tests", known: true });
    expect(local.envVar).toBe("DANDI_API_LOCAL_DOCKER_TESTS_API_KEY");
    expect(local.commands("abc", "000001")).toEqual([
      "export DANDI_API_LOCAL_DOCKER_TESTS_API_KEY=abc",
      "dandi download dandi://dandi-api-local-docker-tests/000001",
      "cd 000001 && dandi upload -i dandi-api-local-docker-tests",
    ]);
    expect(describeCliInstance("https://api.dandiarchive.org/api").envVar).toBe("DANDI_API_KEY");
    expect(describeCliInstance("https://api.sandbox.dandiarchive.org/api").envVar).toBe("DANDI_SANDBOX_API_KEY");
  });

  it("names an unknown instance after its host, with the port only when the URL has one", () => {
    const other = describeCliInstance("https://api.my-archive.org/api");
    expect(other).toMatchObject({ name: "api.my-archive.org", known: false, envVar: "API.MY_ARCHIVE.ORG_API_KEY" });
    expect(other.shellSafe).toBe(false);
    expect(other.commands("k", "000002")).toEqual([
      "env 'API.MY_ARCHIVE.ORG_API_KEY=k' dandi download https://api.my-archive.org/api/dandisets/000002/",
      "cd 000002 && env 'API.MY_ARCHIVE.ORG_API_KEY=k' dandi upload -i https://api.my-archive.org",
    ]);
    expect(describeCliInstance("http://localhost:8001/api").envVar).toBe("LOCALHOST:8001_API_KEY");
    expect(describeCliInstance("http://127.0.0.1:8000/api").name).toBe("127.0.0.1:8000");
    // An explicit default port still counts (yarl's explicit_port), a missing one does not.
    expect(describeCliInstance("https://archive.example.org:443/api").name).toBe("archive.example.org:443");
    expect(describeCliInstance("http://archive/api").envVar).toBe("ARCHIVE_API_KEY");
    expect(describeCliInstance("http://archive/api").shellSafe).toBe(true);
  });
});
