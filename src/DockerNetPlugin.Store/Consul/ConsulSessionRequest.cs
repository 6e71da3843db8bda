using System.Text.Json.Serialization;

namespace DockerNetPlugin.Store.Consul;

/// <summary>Body of <c>/v1/session/create</c> (kv.md §1.9): a TTL-only session (no node checks).</summary>
internal sealed record ConsulSessionRequest(
    string Name,
    [property: JsonPropertyName("TTL")] string Ttl,
    string Behavior,
    string LockDelay,
    string[] NodeChecks);

/// <summary>Answer of session create: <c>{"ID": "uuid"}</c>.</summary>
internal sealed record ConsulSessionCreated([property: JsonPropertyName("ID")] string Id);

/// <summary>One session as info/renew return it; only what the client uses.</summary>
internal sealed record ConsulSessionInfo([property: JsonPropertyName("ID")] string Id, [property: JsonPropertyName("TTL")] string? Ttl);
