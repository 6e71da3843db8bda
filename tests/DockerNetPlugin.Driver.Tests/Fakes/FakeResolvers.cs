using System.Net;
using DockerNetPlugin.Driver.Names;

namespace DockerNetPlugin.Driver.Tests.Fakes;

/// <summary>A resolver service that answers nothing and records which scopes are being served.</summary>
internal sealed class FakeResolvers : INetworkResolvers
{
    private readonly object _gate = new();
    private readonly List<ResolverScope> _serving = [];

    public IPAddress Address { get; } = IPAddress.Parse("169.254.53.53");

    public IReadOnlyList<ResolverScope> Serving
    {
        get
        {
            lock (_gate)
                return _serving.ToList();
        }
    }

    public IDisposable Serve(ResolverScope scope, ResolverSockets sockets)
    {
        lock (_gate)
            _serving.Add(scope);
        return new Stop(this, scope, sockets);
    }

    private sealed class Stop(FakeResolvers owner, ResolverScope scope, ResolverSockets sockets) : IDisposable
    {
        public void Dispose()
        {
            sockets.Dispose();
            lock (owner._gate)
                owner._serving.Remove(scope);
        }
    }
}
