namespace DockerNetPlugin.Driver.Cluster;

/// <summary>Which key layout a host writes what it owns in (DNP_KEY_LAYOUT); every host reads both.</summary>
public enum KeyLayoutMode
{
    /// <summary>By-host; also legacy while any live host has not announced that it reads by-host (a previous release).</summary>
    Auto,

    /// <summary>Legacy only (today's layout), e.g. for a store whose ACL grants only the legacy prefixes.</summary>
    Legacy,

    /// <summary>By-host only: for clusters with per-host credentials, which cannot write legacy keys at all.</summary>
    Host,
}

/// <summary>
/// Writers' side of the two key layouts (<see cref="ClusterKeys"/>): maps a logical key this host owns to the physical
/// keys to write now, and in <see cref="KeyLayoutMode.Auto"/> decides when the legacy copies are no longer needed.
/// Auto starts writing both layouts; once every live host's record says it reads the by-host layout
/// (<see cref="HostRecord.KeyLayout"/>) it writes only by-host, and the owners of the copies
/// (<see cref="LeaseKeeper"/>, the driver's memberships) delete their legacy ones (<see cref="Retired"/>). A live
/// host that does not announce it (a previous release, started again or rolled back) turns the legacy copies on again.
/// </summary>
internal sealed class WriteLayout
{
    /// <summary>What a host announces in its host record when it reads the by-host layout.</summary>
    public const string ByHostAnnouncement = "by-host";

    private readonly string _hostId;
    private volatile bool _legacy; // auto: legacy copies are written (some live host reads only legacy)

    public WriteLayout(KeyLayoutMode mode, string hostId)
    {
        Mode = mode;
        _hostId = hostId;
        _legacy = mode != KeyLayoutMode.Host; // auto: both until the live hosts are known
    }

    public KeyLayoutMode Mode { get; }

    /// <summary>Legacy copies are written now.</summary>
    public bool WritesLegacy => _legacy;

    /// <summary>By-host copies are written now.</summary>
    public bool WritesByHost => Mode != KeyLayoutMode.Legacy;

    /// <summary>Where a write of <paramref name="logicalKey"/> (a key this host owns, legacy form) goes now; a shared key goes where it is.</summary>
    public IReadOnlyList<string> Targets(string logicalKey)
    {
        ArgumentNullException.ThrowIfNull(logicalKey);
        if (OwnedKey.TryParse(logicalKey) is not { Owner: null } owned)
            return [logicalKey];
        var legacy = _legacy;
        return (legacy, WritesByHost) switch
        {
            (true, true) => [owned.ByHostKey(_hostId), logicalKey],
            (false, true) => [owned.ByHostKey(_hostId)],
            _ => [logicalKey],
        };
    }

    /// <summary>
    /// What a delete of <paramref name="logicalKey"/> removes: every copy this host may have written, except legacy
    /// ones with <see cref="KeyLayoutMode.Host"/> (a per-host credential may not touch them, and this host never wrote them).
    /// </summary>
    public IReadOnlyList<string> Copies(string logicalKey)
    {
        ArgumentNullException.ThrowIfNull(logicalKey);
        if (OwnedKey.TryParse(logicalKey) is not { Owner: null } owned)
            return [logicalKey];
        return Mode == KeyLayoutMode.Host ? [owned.ByHostKey(_hostId)] : [owned.ByHostKey(_hostId), logicalKey];
    }

    /// <summary>The copies of <paramref name="logicalKey"/> the current layout no longer writes (deleted after a switch).</summary>
    public IReadOnlyList<string> Retired(string logicalKey) => Copies(logicalKey).Except(Targets(logicalKey), StringComparer.Ordinal).ToList();

    /// <summary>
    /// After the live hosts changed: in auto, legacy copies stay on while any of them does not read by-host.
    /// True when that changed (the owners of copies then write or delete theirs: <see cref="Retired"/>).
    /// </summary>
    public bool Update(IReadOnlyDictionary<string, bool> readsByHost)
    {
        ArgumentNullException.ThrowIfNull(readsByHost);
        if (Mode != KeyLayoutMode.Auto)
            return false;
        var legacy = readsByHost.Any(kv => kv.Key != _hostId && !kv.Value);
        if (legacy == _legacy)
            return false;
        _legacy = legacy;
        return true;
    }
}
