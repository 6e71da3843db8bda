namespace DockerNetPlugin.Engine;

/// <summary>A network's IPAM section: driver, driver options and address pools.</summary>
public sealed record NetworkIpam
{
    /// <summary>The IPAM driver, e.g. <c>default</c> or <c>dnp</c>.</summary>
    public string? Driver { get; init; }

    /// <summary>The <c>--ipam-opt</c> values.</summary>
    public IReadOnlyDictionary<string, string>? Options { get; init; }

    /// <summary>The pools (<c>--subnet</c>, <c>--ip-range</c>, <c>--gateway</c>, <c>--aux-address</c>).</summary>
    public IReadOnlyList<IpamPoolConfig>? Config { get; init; }
}
