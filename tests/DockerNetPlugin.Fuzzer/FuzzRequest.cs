namespace DockerNetPlugin.Fuzzer;

/// <summary>Where a request came from, for the summary and for reproducing a finding.</summary>
public enum RequestOrigin
{
    /// <summary>A valid-shaped call of a lifecycle (possibly out of order, repeated, with edge values or unknown IDs).</summary>
    Structured,

    /// <summary>A valid body with byte or field mutations.</summary>
    Mutated,

    /// <summary>The closing phase deleting what the fuzz made, and its checks.</summary>
    Closing,
}

/// <summary>
/// One request to send. <see cref="OnReply"/> lets the structured generator learn from the reply (pool IDs,
/// allocated addresses, refusals) without the worker knowing about its model.
/// </summary>
public sealed record FuzzRequest(string Path, byte[] Body, RequestOrigin Origin, string Note)
{
    public HttpMethod Method { get; init; } = HttpMethod.Post;

    public Action<Verdict>? OnReply { get; init; }
}
