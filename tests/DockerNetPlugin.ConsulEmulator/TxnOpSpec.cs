namespace DockerNetPlugin.Emulators.Consul;

/// <summary>One KV operation as the emulator executes it; plain KV requests are run as one-op transactions.</summary>
internal sealed record TxnOpSpec(string Verb, string Key, byte[]? Value, ulong Flags, ulong Index, string? Session);
