namespace DockerNetPlugin.Emulators.Consul;

/// <summary>One KV entry of the emulator, with the fields Consul documents (kv.md §1.2).</summary>
internal sealed record EmulatedEntry(string Key, byte[] Value, ulong Flags, ulong CreateIndex, ulong ModifyIndex, ulong LockIndex, string? Session);
