namespace DockerNetPlugin.Emulators.Consul;

/// <summary>Raised inside the emulator's transaction evaluation: the op that failed and why (becomes a 409 error).</summary>
internal sealed class TxnFailure(string what) : Exception(what);
