using System.Text.Json.Nodes;

namespace DockerNetPlugin.Fuzzer;

/// <summary>
/// Mutated requests: a valid body of a random method (from the structured generator, naming live objects half of
/// the time) damaged at field level, byte level, or replaced whole; a few go to paths or methods that do not exist.
/// </summary>
internal static class Mutator
{
    // No "%00" or other bytes the HTTP server itself refuses: its bare 400 happens before the plugin sees the call.
    private static readonly string[] s_strangePaths =
    [
        "/NetworkDriver.Nope", "/IpamDriver.", "/", "/Plugin.Activate/extra", "/NetworkDriver.CreateNetwork.", "/dnp/v1/nope",
        "/" + new string('A', 4096),
    ];

    public static FuzzRequest Next(Random rng, StructuredGenerator generator)
    {
        var path = rng.Pick(PluginApi.Methods);
        var template = generator.Template(path);
        var dice = rng.NextDouble();
        if (dice < 0.08)
            return PathOrMethod(rng, path, template);
        if (dice < 0.23)
        {
            var (body, what) = HostileBodies.Pick(rng, RequestBodies.Bytes(template));
            return new FuzzRequest(path, body, RequestOrigin.Mutated, what);
        }
        if (dice < 0.48)
        {
            var bytes = RequestBodies.Bytes(template);
            var notes = Enumerable.Range(0, 1 + rng.Next(4)).Select(_ => ByteMutator.Apply(rng, ref bytes)).ToList();
            return new FuzzRequest(path, bytes, RequestOrigin.Mutated, string.Join(", ", notes));
        }
        var raw = new RawJson();
        var root = template;
        var changes = Enumerable.Range(0, 1 + rng.Next(3)).Select(_ => JsonTreeMutator.Apply(rng, ref root, raw)).ToList();
        return new FuzzRequest(path, raw.Serialize(root), RequestOrigin.Mutated, string.Join(", ", changes));
    }

    private static FuzzRequest PathOrMethod(Random rng, string path, JsonNode? template)
    {
        var body = RequestBodies.Bytes(template);
        return rng.Next(3) switch
        {
            0 => new FuzzRequest(path.ToLowerInvariant(), body, RequestOrigin.Mutated, "lower-case path"),
            1 => rng.Chance(0.5)
                ? new FuzzRequest(path, [], RequestOrigin.Mutated, "GET instead of POST") { Method = HttpMethod.Get }
                : new FuzzRequest(path, body, RequestOrigin.Mutated, "PUT instead of POST") { Method = HttpMethod.Put },
            _ => new FuzzRequest(rng.Pick(s_strangePaths), body, RequestOrigin.Mutated, "unknown path"),
        };
    }
}
