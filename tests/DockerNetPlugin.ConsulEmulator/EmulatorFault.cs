namespace DockerNetPlugin.Emulators.Consul;

/// <summary>What the emulator does instead of answering a request (fault injection).</summary>
public enum EmulatorFault
{
    /// <summary>500 "No cluster leader", as Consul answers during an election.</summary>
    NoLeader,

    /// <summary>429, as Consul answers beyond the per-client connection limit.</summary>
    TooManyRequests,

    /// <summary>The connection is reset without an answer.</summary>
    DropConnection,
}
