namespace DockerNetPlugin.Testbed;

/// <summary>
/// The Docker engine every simulated host of a bed runs: bookworm's installed <c>docker.io</c> (<c>20.10</c>), or a
/// newer Debian suite's engine that <c>make deps-test</c> unpacked into <see cref="CacheDirectory"/>/&lt;name&gt;
/// (<c>26</c>: trixie docker.io 26.1 + containerd 1.7; <c>28</c>: sid docker.io 28.5 + containerd 2.1), never installed
/// over the system's. Every engine uses bookworm's <c>/usr/sbin/runc</c> (theirs needs a newer glibc).
/// <see cref="FromEnvironment"/> reads <c>DNP_TEST_ENGINE</c>.
/// </summary>
public sealed record DockerEngine
{
    /// <summary>Where <c>tests/engines/fetch-engines.sh</c> (run by <c>make deps-test</c>) unpacks engines and Compose.</summary>
    public const string CacheDirectory = "/var/cache/dnp-test/engines";

    /// <summary>The environment variable that selects the engine (<c>20.10</c>, <c>26</c> or <c>28</c>; unset: 20.10).</summary>
    public const string EnvironmentVariable = "DNP_TEST_ENGINE";

    /// <summary>The engine installed by bookworm's docker.io, the default.</summary>
    public const string Installed = "20.10";

    /// <summary>Every engine name, oldest first.</summary>
    public static readonly IReadOnlyList<string> Names = [Installed, "26", "28"];

    private const string SystemPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private DockerEngine(string name, string? root)
    {
        Name = name;
        Root = root;
    }

    /// <summary><c>20.10</c>, <c>26</c> or <c>28</c>.</summary>
    public string Name { get; }

    /// <summary>The unpacked engine (holding <c>usr/sbin/dockerd</c>), or null for the installed one.</summary>
    public string? Root { get; }

    /// <summary>The dockerd binary.</summary>
    public string DockerdPath => Root is null ? "/usr/sbin/dockerd" : Path.Combine(Root, "usr", "sbin", "dockerd");

    /// <summary>The engine's own docker client (it knows the engine's flags, e.g. <c>--ipv4=false</c> on 28).</summary>
    public string ClientPath => Root is null ? "/usr/bin/docker" : Path.Combine(Root, "usr", "bin", "docker");

    /// <summary>
    /// PATH for dockerd: the engine's <c>usr/sbin</c> and <c>usr/bin</c> first (dockerd finds its containerd, shim,
    /// docker-proxy and docker-init there), then the system's (bookworm's runc).
    /// </summary>
    public string DaemonPath => Root is null ? SystemPath : $"{Path.Combine(Root, "usr", "sbin")}:{Path.Combine(Root, "usr", "bin")}:{SystemPath}";

    /// <summary>
    /// Docker Compose v2 (sid's docker-compose, a CLI plugin) that <c>make deps-test</c> unpacks beside the engines.
    /// Every bed links it into its client configuration, so <c>SimHost.DockerAsync("compose", …)</c> runs it.
    /// </summary>
    public static string ComposePath => Path.Combine(CacheDirectory, "compose", "usr", "libexec", "docker", "cli-plugins", "docker-compose");

    /// <summary>The engine <c>DNP_TEST_ENGINE</c> names (unset or empty: the installed 20.10).</summary>
    public static DockerEngine FromEnvironment() => Get(Environment.GetEnvironmentVariable(EnvironmentVariable));

    /// <summary>The engine called <paramref name="name"/>; null or empty means the installed one.</summary>
    /// <exception cref="TestbedException">Unknown name, or the engine was not fetched (with the command that fetches it).</exception>
    public static DockerEngine Get(string? name)
    {
        if (string.IsNullOrWhiteSpace(name) || name == Installed)
        {
            if (!File.Exists("/usr/sbin/dockerd") || !File.Exists("/usr/bin/docker"))
            {
                throw new TestbedException("dockerd or /usr/bin/docker is missing: install the Debian package docker.io (make deps-test).");
            }

            return new DockerEngine(Installed, null);
        }

        if (!Names.Contains(name))
        {
            throw new TestbedException($"{EnvironmentVariable}={name} is not an engine of the test bed: use one of {string.Join(", ", Names)}.");
        }

        var engine = new DockerEngine(name, Path.Combine(CacheDirectory, name));
        if (!File.Exists(engine.DockerdPath) || !File.Exists(engine.ClientPath) || !File.Exists(Path.Combine(engine.Root!, "VERSION")))
        {
            throw new TestbedException($"engine {name} is not in {engine.Root}: run `make deps-test` (tests/engines/fetch-engines.sh).");
        }

        if (!File.Exists("/usr/sbin/runc"))
        {
            throw new TestbedException($"engine {name} runs containers with bookworm's /usr/sbin/runc, which is missing: install the Debian package runc (make deps-test).");
        }

        return engine;
    }

    /// <inheritdoc/>
    public override string ToString() => Root is null ? $"{Name} (installed)" : $"{Name} ({Root})";
}
