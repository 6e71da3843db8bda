namespace DockerNetPlugin.Testbed;

/// <summary>Where one simulated host keeps its files (all below the run directory, removed on dispose).</summary>
internal sealed record SimHostPaths(string Root)
{
    /// <summary>Bind-mounted over <c>/run/docker</c> inside the host.</summary>
    public string RunDocker => Path.Combine(Root, "run-docker");

    /// <summary>Host-side view of the host's <c>/run/docker/plugins</c>.</summary>
    public string Plugins => Path.Combine(RunDocker, "plugins");

    /// <summary>Bind-mounted over <c>/run/containerd</c> inside the host (containerd shim sockets).</summary>
    public string RunContainerd => Path.Combine(Root, "run-containerd");

    /// <summary>Bind-mounted over <c>/etc/docker</c> inside the host (daemon.json, plugin spec files).</summary>
    public string EtcDocker => Path.Combine(Root, "etc-docker");

    public string DockerSocket => Path.Combine(Root, "docker.sock");

    public string DataRoot => Path.Combine(Root, "data");

    public string ExecRoot => Path.Combine(Root, "exec");

    public string PidFile => Path.Combine(Root, "docker.pid");

    public string DaemonConfig => Path.Combine(EtcDocker, "daemon.json");

    public string NetnsDir => Path.Combine(Root, "netns");

    public string StateDir => Path.Combine(Root, "state");

    public string StoreDir => Path.Combine(Root, "store");

    /// <summary>Bind-mounted over <c>/etc/resolv.conf</c> inside the host when it exists.</summary>
    public string ResolvConf => Path.Combine(Root, "resolv.conf");

    public void Create(string? daemonJson = null, string? resolvConf = null)
    {
        foreach (var dir in new[] { Root, RunDocker, Plugins, RunContainerd, EtcDocker, DataRoot, ExecRoot, NetnsDir, StateDir, StoreDir })
        {
            Directory.CreateDirectory(dir);
        }

        File.WriteAllText(DaemonConfig, daemonJson ?? "{}\n");
        if (resolvConf is not null)
            File.WriteAllText(ResolvConf, resolvConf);
    }
}
