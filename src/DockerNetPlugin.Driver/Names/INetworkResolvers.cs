using System.Net;

namespace DockerNetPlugin.Driver.Names;

/// <summary>
/// Serves the name resolver the driver binds in each overlay namespace (and once in the host namespace, for containers
/// on no dnp network). The driver owns the kernel side (the address on br0 or lo, sockets created inside the namespace)
/// and the lifetime (a resolver goes with its namespace); the implementation answers on the sockets it is handed.
/// </summary>
public interface INetworkResolvers
{
    /// <summary>The one address every resolver listens on (port 53, UDP and TCP).</summary>
    IPAddress Address { get; }

    /// <summary>Answer on <paramref name="sockets"/> until the returned handle is disposed; the handle also disposes the sockets.</summary>
    IDisposable Serve(ResolverScope scope, ResolverSockets sockets);
}

/// <summary>Whose questions a resolver answers.</summary>
/// <param name="LogicalNetworkId">The network whose namespace the sockets live in; null for the host namespace's listener (forwarding only).</param>
/// <param name="Internal">An <c>--internal</c> network: names of the asker's networks only, nothing forwarded (as Docker does for internal containers).</param>
public sealed record ResolverScope(string? LogicalNetworkId, bool Internal);
