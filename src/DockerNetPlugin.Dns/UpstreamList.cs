using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Dns;

/// <summary>The current upstream servers: fixed, or read from a resolv.conf and re-read when its modification time changes.</summary>
internal sealed class UpstreamList
{
    private readonly IReadOnlyList<IPEndPoint>? _fixed;
    private readonly string _path;
    private readonly int _max;
    private readonly ILogger _logger;
    private readonly long _recheckTicks;
    private readonly IPAddress? _self;

    // Guards _servers, _stamp and _checkedAt together; held only to swap them.
    private readonly Lock _gate = new();
    private IReadOnlyList<IPEndPoint> _servers = [];
    private DateTime? _stamp;
    private long _checkedAt = long.MinValue;

    /// <param name="fixedServers">Servers to use instead of the file, or null.</param>
    /// <param name="path">The resolv.conf to read.</param>
    /// <param name="max">How many servers to use at most.</param>
    /// <param name="logger">Where changes and read errors are logged.</param>
    /// <param name="recheck">How often at most the file's modification time is looked at (2 s by default).</param>
    /// <param name="self">The resolver's own address: a file naming it is not forwarded to (that would loop).</param>
    public UpstreamList(IReadOnlyList<IPEndPoint>? fixedServers, string path, int max, ILogger logger, TimeSpan? recheck = null, IPAddress? self = null)
    {
        _self = self;
        _recheckTicks = (long)((recheck ?? TimeSpan.FromSeconds(2)).TotalSeconds * Stopwatch.Frequency);
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
            if (_checkedAt != long.MinValue && now - _checkedAt < _recheckTicks)
            {
                return _servers;
            }

            _checkedAt = now;
            DateTime? stamp = File.Exists(_path) ? File.GetLastWriteTimeUtc(_path) : null;
            if (stamp == _stamp && stamp is not null)
            {
                return _servers;
            }

            _stamp = stamp;
            try
            {
                _servers = ResolvConf.Parse(File.ReadAllText(_path)).Where(s => _self is null || !s.Address.Equals(_self)).Take(_max).ToArray();
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
