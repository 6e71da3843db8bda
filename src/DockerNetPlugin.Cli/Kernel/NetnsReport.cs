namespace DockerNetPlugin.Cli.Kernel;

/// <summary>What <c>dnp netns --json</c> prints: the overlay namespaces as the kernel and the plugin see them.</summary>
internal sealed record NetnsReport(string Directory, bool PluginReachable, IReadOnlyList<NetnsRow> Namespaces);

/// <summary>
/// One overlay namespace. <c>State</c>: <c>open</c> (the plugin uses it), <c>grace</c> (open, kept after its last
/// endpoint left until DNP_NETNS_GRACE ends: healthy), <c>idle</c> (mounted, no joined endpoint),
/// <c>not-built</c> (known, no endpoint joined yet), <c>missing</c> (the plugin has it open but nothing is mounted),
/// <c>stale</c> (mounted, unknown to the plugin), <c>mounted</c> (the plugin could not be asked).
/// </summary>
internal sealed record NetnsRow(
    string Name,
    string Path,
    string State,
    string? LogicalId,
    uint? Vni,
    IReadOnlyList<string> DockerNetworkIds,
    IReadOnlyList<string> Interfaces,
    uint? KernelVni,
    int? VxlanPort,
    DateTimeOffset? GraceUntil);
