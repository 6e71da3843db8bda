using System.Collections;
using DockerNetPlugin.Engine;
using DockerNetPlugin.Netlink;

namespace DockerNetPlugin.Cli.Kernel;

/// <summary>
/// Every namespace <c>dnp links</c> searches, each opened once (duplicates by inode dropped): this host's, the plugin's
/// overlay namespaces (<c>dnp-*</c> under the overlay directory) and Docker's sandboxes (files under DOCKER_NETNS_DIR,
/// default <c>/var/run/docker/netns</c>, plus the sandbox of every running container Docker lists, named after it).
/// </summary>
internal sealed class NamespaceCatalog : IDisposable
{
    public const string DefaultDockerDirectory = "/var/run/docker/netns";
    public const string OverlayPrefix = "dnp-";

    private readonly List<OpenNamespace> _namespaces = [];

    private NamespaceCatalog()
    {
    }

    public IReadOnlyList<OpenNamespace> Namespaces => _namespaces;

    public static async Task<NamespaceCatalog> OpenAsync(IDictionary environment, string overlayDirectory, TextWriter warnings, CancellationToken ct)
    {
        var dockerDirectory = environment["DOCKER_NETNS_DIR"] is string { Length: > 0 } d ? d : DefaultDockerDirectory;
        var containers = await ContainerSandboxesAsync(DockerEndpoint.FromEnvironment(environment), warnings, ct).ConfigureAwait(false);
        var catalog = new NamespaceCatalog();
        try
        {
            catalog._namespaces.Add(OpenNamespace.Host());
            foreach (var path in MountedNamespaces(overlayDirectory).Where(p => Path.GetFileName(p).StartsWith(OverlayPrefix, StringComparison.Ordinal)))
                catalog.TryAdd(new NamespaceView(NamespaceView.OverlayKind, Path.GetFileName(path), path, null), warnings);
            var sandboxes = MountedNamespaces(dockerDirectory).Concat(containers.Keys).Distinct(StringComparer.Ordinal);
            foreach (var path in sandboxes)
                catalog.TryAdd(new NamespaceView(NamespaceView.DockerKind, Path.GetFileName(path), path, containers.GetValueOrDefault(path)), warnings);
            return catalog;
        }
        catch
        {
            catalog.Dispose();
            throw;
        }
    }

    /// <summary>The namespace files mounted directly under <paramref name="directory"/> (none when it does not exist).</summary>
    public static IReadOnlyList<string> MountedNamespaces(string directory)
    {
        if (!Directory.Exists(directory))
            return [];
        return Directory.EnumerateFiles(directory).Where(NetNs.Exists).Order(StringComparer.Ordinal).ToList();
    }

    public void Dispose()
    {
        foreach (var ns in _namespaces)
            ns.Dispose();
        _namespaces.Clear();
    }

    private void TryAdd(NamespaceView view, TextWriter warnings)
    {
        OpenNamespace opened;
        try
        {
            opened = OpenNamespace.Open(view);
        }
        catch (NetlinkException e)
        {
            warnings.WriteLine($"dnp: skipping namespace {view.Path}: {e.Message}");
            return;
        }
        var same = _namespaces.FirstOrDefault(n => n.Inode == opened.Inode);
        if (same is null)
        {
            _namespaces.Add(opened);
            return;
        }
        opened.Dispose();
    }

    /// <summary>Sandbox path → container name of every running container; empty (with a warning) when Docker cannot be asked.</summary>
    private static async Task<Dictionary<string, string>> ContainerSandboxesAsync(DockerEndpoint docker, TextWriter warnings, CancellationToken ct)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (docker.SocketPath is { } socket && !File.Exists(socket))
            return result; // no Docker here: nothing to name
        using var engine = new DockerEngineClient(docker, TimeSpan.FromSeconds(5));
        try
        {
            foreach (var container in await engine.ListContainersAsync(false, null, ct).ConfigureAwait(false))
            {
                var inspect = await engine.InspectContainerAsync(container.Id, ct).ConfigureAwait(false);
                if (inspect?.NetworkSettings?.SandboxKey is { Length: > 0 } key)
                    result[key] = inspect.Name?.TrimStart('/') ?? Cell.Short(inspect.Id);
            }
        }
        catch (DockerEngineException e)
        {
            warnings.WriteLine($"dnp: container names are not shown: {e.Message} (set DOCKER_HOST)");
        }
        return result;
    }
}
