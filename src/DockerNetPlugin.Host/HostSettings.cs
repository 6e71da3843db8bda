using System.Collections;
using System.Globalization;

namespace DockerNetPlugin.Host;

/// <summary>Every DNP_* setting of <c>dnp serve</c>, read once from the environment with the product's defaults.</summary>
public sealed record HostSettings
{
    public string Socket { get; init; } = "/run/docker/plugins/dnp.sock";
    public string StateDirectory { get; init; } = "/var/lib/dnp";
    public string NetnsDirectory { get; init; } = "/run/netns";
    public string Store { get; init; } = "file:///var/lib/dnp";
    public string? Advertise { get; init; }
    public ushort VxlanPort { get; init; } = 4789;
    public bool Replicate { get; init; } = true;

    /// <summary>Drop VXLAN from anything but the cluster's live hosts' VTEPs (DNP_VXLAN_GUARD=on|off).</summary>
    public bool VxlanGuard { get; init; } = true;

    /// <summary>Which key layout this host writes what it owns in (DNP_KEY_LAYOUT=auto|legacy|host); every host reads both.</summary>
    public Driver.Cluster.KeyLayoutMode KeyLayout { get; init; } = Driver.Cluster.KeyLayoutMode.Auto;
    public string LogLevel { get; init; } = "info";
    public string LogFormat { get; init; } = "text";
    public TimeSpan LeaseTtl { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(25);

    /// <summary>
    /// How long one plugin call waits on the cluster store (DNP_STORE_TIMEOUT seconds): the IPAM calls fail naming the
    /// store past it, Join/Leave/DeleteEndpoint succeed and leave their record write to the background.
    /// </summary>
    public TimeSpan StoreCallTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long this host's records outlive a stop of the plugin (DNP_STOP_GRACE seconds).</summary>
    public TimeSpan StopGrace { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>UDP port of the liveness echo on the advertise address (DNP_PROBE_PORT); never the VXLAN port.</summary>
    public ushort ProbePort { get; init; } = 4790;

    /// <summary>How long an overlay namespace outlives its last endpoint (DNP_NETNS_GRACE seconds; 0 = removed at once).</summary>
    public TimeSpan NetnsGrace { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often kernel state is reconciled with the store and Docker (DNP_RECONCILE_INTERVAL seconds; 0 = only at start).</summary>
    public TimeSpan ReconcileInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The address of the name resolvers (DNP_DNS_ADDRESS, default 169.254.53.53; <c>off</c> turns names across hosts
    /// off). Containers reach it through their dnp interface (a route Join returns) and use it when the daemon's
    /// <c>"dns"</c> names it.
    /// </summary>
    public System.Net.IPAddress? DnsAddress { get; init; } = System.Net.IPAddress.Parse("169.254.53.53");

    /// <summary>Where the host's resolvers are read, to forward every other name to (DNP_RESOLV_CONF, default /etc/resolv.conf).</summary>
    public string ResolvConf { get; init; } = "/etc/resolv.conf";

    /// <summary>This host's Docker Engine API, which replication creates and removes networks through (DNP_DOCKER_HOST, else DOCKER_HOST).</summary>
    public Engine.DockerEndpoint DockerHost { get; init; } = Engine.DockerEndpoint.Parse(Engine.DockerEndpoint.DefaultUri);

    /// <summary>Read the settings; a malformed value is an error naming the variable and what it accepts.</summary>
    public static HostSettings FromEnvironment(IDictionary env)
    {
        ArgumentNullException.ThrowIfNull(env);
        string? Get(string name) => env[name] is string s && s.Length > 0 ? s : null;
        var d = new HostSettings();
        var settings = new HostSettings
        {
            Socket = Get("DNP_SOCKET") ?? d.Socket,
            StateDirectory = Get("DNP_STATE_DIR") ?? d.StateDirectory,
            NetnsDirectory = Get("DNP_NETNS_DIR") ?? d.NetnsDirectory,
            Store = Get("DNP_STORE") ?? d.Store,
            Advertise = Get("DNP_ADVERTISE_ADDR"),
            VxlanPort = Get("DNP_VXLAN_PORT") is { } port ? ParsePort("DNP_VXLAN_PORT", port) : d.VxlanPort,
            ProbePort = Get("DNP_PROBE_PORT") is { } probe ? ParsePort("DNP_PROBE_PORT", probe) : d.ProbePort,
            StopGrace = Get("DNP_STOP_GRACE") is { } grace ? TimeSpan.FromSeconds(ParseSeconds("DNP_STOP_GRACE", grace, 10, 86400)) : d.StopGrace,
            Replicate = Get("DNP_REPLICATE") is { } r ? ParseBool("DNP_REPLICATE", r) : d.Replicate,
            VxlanGuard = Get("DNP_VXLAN_GUARD") is { } g ? ParseBool("DNP_VXLAN_GUARD", g) : d.VxlanGuard,
            KeyLayout = Get("DNP_KEY_LAYOUT") is { } kl ? ParseKeyLayout(kl) : d.KeyLayout,
            LogLevel = Get("DNP_LOG_LEVEL") ?? d.LogLevel,
            LogFormat = Get("DNP_LOG_FORMAT") is { } f ? ParseFormat(f) : d.LogFormat,
            LeaseTtl = Get("DNP_LEASE_TTL") is { } ttl ? TimeSpan.FromSeconds(ParseSeconds("DNP_LEASE_TTL", ttl, 2, 3600)) : d.LeaseTtl,
            CallTimeout = Get("DNP_CALL_TIMEOUT") is { } t ? TimeSpan.FromSeconds(ParseSeconds("DNP_CALL_TIMEOUT", t, 1, 600)) : d.CallTimeout,
            StoreCallTimeout = Get("DNP_STORE_TIMEOUT") is { } st ? TimeSpan.FromSeconds(ParseSeconds("DNP_STORE_TIMEOUT", st, 1, 60)) : d.StoreCallTimeout,
            NetnsGrace = Get("DNP_NETNS_GRACE") is { } ng ? TimeSpan.FromSeconds(ParseSeconds("DNP_NETNS_GRACE", ng, 0, 86400)) : d.NetnsGrace,
            DockerHost = ParseDockerHost(env),
            ReconcileInterval = Get("DNP_RECONCILE_INTERVAL") is { } ri ? TimeSpan.FromSeconds(ParseSeconds("DNP_RECONCILE_INTERVAL", ri, 0, 86400)) : d.ReconcileInterval,
            DnsAddress = Get("DNP_DNS_ADDRESS") is { } dns ? ParseDnsAddress(dns) : d.DnsAddress,
            ResolvConf = Get("DNP_RESOLV_CONF") ?? d.ResolvConf,
        };
        if (settings.ProbePort == settings.VxlanPort)
            throw new SettingsException($"DNP_PROBE_PORT={settings.ProbePort} is the VXLAN port (DNP_VXLAN_PORT): the liveness probe needs a port of its own");
        return settings;
    }

    private static Engine.DockerEndpoint ParseDockerHost(IDictionary env)
    {
        try
        {
            return Engine.DockerEndpoint.FromEnvironment(env);
        }
        catch (ArgumentException e)
        {
            throw new SettingsException($"DNP_DOCKER_HOST/DOCKER_HOST: {e.Message}");
        }
    }

    private static System.Net.IPAddress? ParseDnsAddress(string text) =>
        text.Equals("off", StringComparison.OrdinalIgnoreCase) ? null
        : System.Net.IPAddress.TryParse(text, out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
          && !System.Net.IPAddress.IsLoopback(address) && !address.Equals(System.Net.IPAddress.Any)
            ? address
            : throw new SettingsException($"DNP_DNS_ADDRESS='{text}' must be an IPv4 address outside every overlay subnet and loopback (default 169.254.53.53), or off");

    private static ushort ParsePort(string name, string text) =>
        ushort.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port > 0
            ? port
            : throw new SettingsException($"{name}='{text}' must be a UDP port number (1-65535)");

    private static bool ParseBool(string name, string text) => text.ToLowerInvariant() switch
    {
        "1" or "true" or "yes" or "on" => true,
        "0" or "false" or "no" or "off" => false,
        _ => throw new SettingsException($"{name}='{text}' must be true or false"),
    };

    private static Driver.Cluster.KeyLayoutMode ParseKeyLayout(string text) => text.ToLowerInvariant() switch
    {
        "auto" => Driver.Cluster.KeyLayoutMode.Auto,
        "legacy" => Driver.Cluster.KeyLayoutMode.Legacy,
        "host" => Driver.Cluster.KeyLayoutMode.Host,
        _ => throw new SettingsException($"DNP_KEY_LAYOUT='{text}' must be auto, legacy or host"),
    };

    private static string ParseFormat(string text) => text.ToLowerInvariant() is "text" or "json"
        ? text.ToLowerInvariant()
        : throw new SettingsException($"DNP_LOG_FORMAT='{text}' must be text or json");

    private static int ParseSeconds(string name, string text, int min, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s >= min && s <= max
            ? s
            : throw new SettingsException($"{name}='{text}' must be a whole number of seconds between {min} and {max}");
}

/// <summary>A setting that cannot be used; <c>dnp serve</c> prints it and exits non-zero.</summary>
public sealed class SettingsException : Exception
{
    public SettingsException(string message) : base(message) { }
}
