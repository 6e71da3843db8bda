using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Dns;

/// <summary>The current upstream servers: fixed, or read from a resolv.conf and re-read when its modification time changes.</summary>
internal sealed class UpstreamList
{
    private static readonly long s_recheckTicks = Stopwatch.Frequency * 2;

    private readonly IReadOnlyList<IPEndPoint>? _fixed;
    private readonly string _path;
    private readonly int _max;
    private readonly ILogger _logger;

    // Guards _servers, _stamp and _checkedAt together; held only to swap them.
    private readonly Lock _gate = new();
    private IReadOnlyList<IPEndPoint> _servers = [];
    private DateTime? _stamp;
    private long _checkedAt = long.MinValue;

    public UpstreamList(IReadOnlyList<IPEndPoint>? fixedServers, string path, int max, ILogger logger)
    {
        _fixed = fixedServers;
        _path = path;
        _max = max;
        _logger = logger;
    }

    /// <summary>The servers to try, in order (at most the configured number).</summary>
    public IReadOnlyList<IPEndPoint> Current()
    {
        if (_fixed is not null)
        {
            return _fixed.Count > _max ? _fixed.Take(_max).ToArray() : _fixed;
        }

        var now = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            if (now - _checkedAt < s_recheckTicks)
            {
                return _servers;
            }

            _checkedAt = now;
            DateTime? stamp = File.Exists(_path) ? File.GetLastWriteTimeUtc(_path) : null;
            if (stamp == _stamp && _stamp is not null)
            {
                return _servers;
            }

            _stamp = stamp;
            try
            {
                _servers = ResolvConf.Parse(File.ReadAllText(_path)).Take(_max).ToArray();
                DnsLog.UpstreamsRead(_logger, _path, string.Join(", ", _servers));
            }
            catch (IOException ex)
            {
                _servers = [];
                DnsLog.UpstreamsUnreadable(_logger, _path, ex.Message);
            }
            catch (UnauthorizedAccessException ex)
            {
                _servers = [];
                DnsLog.UpstreamsUnreadable(_logger, _path, ex.Message);
            }

            return _servers;
        }
    }
}
