using System.Net;
using DockerNetPlugin.Dns;
using DockerNetPlugin.Driver.Names;
using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Replication.Names;

/// <summary>
/// Runs a <see cref="DnsServer"/> on the sockets the driver binds in each overlay namespace (and in the host's), all
/// answering from one <see cref="NameTable"/>. Upstream sockets are made on pool threads, i.e. in the host namespace,
/// so forwarded questions go to the host's resolvers exactly as the host would ask them.
/// </summary>
public sealed class NetworkResolvers : INetworkResolvers
{
    /// <summary>The scope of the host namespace's listener: no network has this id, so it answers no names, only forwards.</summary>
    public const string HostScope = "(host)";

    private readonly NameTable _table;
    private readonly string _resolvConf;
    private readonly ILoggerFactory _loggers;

    public NetworkResolvers(IPAddress address, NameTable table, string resolvConf, ILoggerFactory loggers)
    {
        Address = address;
        _table = table;
        _resolvConf = resolvConf;
        _loggers = loggers;
    }

    public IPAddress Address { get; }

    /// <summary>Every resolver's totals.</summary>
    public DnsCounters Counters { get; } = new();

    public IDisposable Serve(ResolverScope scope, ResolverSockets sockets)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(sockets);
        var options = new DnsServerOptions
        {
            NetworkId = scope.LogicalNetworkId ?? HostScope,
            ResolvConfPath = _resolvConf,
            ListenAddress = Address,
            // Docker forwards nothing to the host's resolvers for a container on internal networks only: neither do we.
            UpstreamServers = scope.Internal ? [] : null,
            Counters = Counters,
        };
        var server = new DnsServer(_table, options, _loggers.CreateLogger<DnsServer>());
        var stop = new CancellationTokenSource();
        var run = server.RunAsync(sockets.Udp, sockets.Tcp, stop.Token);
        return new Serving(stop, run, sockets);
    }

    /// <summary>Stops one resolver without waiting (the driver disposes it under its kernel gate): cancel, close the sockets.</summary>
    private sealed class Serving(CancellationTokenSource stop, Task run, ResolverSockets sockets) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
                return;
            stop.Cancel();
            sockets.Dispose();
            _ = run.ContinueWith(_ => stop.Dispose(), TaskScheduler.Default);
        }
    }
}
