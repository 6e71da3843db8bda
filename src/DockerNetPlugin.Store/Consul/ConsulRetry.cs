namespace DockerNetPlugin.Store.Consul;

/// <summary>Which transient failures an operation may retry on its own.</summary>
internal enum ConsulRetry
{
    /// <summary>Reads and writes whose repetition has the same outcome: retry every transient failure.</summary>
    Idempotent,

    /// <summary>
    /// Compare-and-set style writes: retry only when the server surely did not apply the request (no
    /// connection, 429, 503). A repeat after a lost answer could turn a success into a false conflict.
    /// </summary>
    UnsafeWrite,

    /// <summary>One attempt; the caller runs its own loop (watch, lease renewal, health probe).</summary>
    Once,
}
