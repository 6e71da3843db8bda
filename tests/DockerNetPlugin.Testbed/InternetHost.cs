using System.Net;

namespace DockerNetPlugin.Testbed;

/// <summary>
/// "The internet": a namespace on the fabric running busybox httpd on port 80. <see cref="WhoAmIUrl"/> answers
/// the client's source address (proves NAT egress: a container's request arrives from its host's underlay IP);
/// <see cref="HttpGetAsync"/> fetches from here (proves <c>-p</c> published ports from outside).
/// </summary>
public sealed class InternetHost : IAsyncDisposable
{
    /// <summary>The HTTP port.</summary>
    public const int HttpPort = 80;

    /// <summary>The body of <c>/</c>.</summary>
    public const string IndexBody = "dnp-internet";

    private static readonly TimeSpan s_readyTimeout = TimeSpan.FromSeconds(15);
    private readonly NamespaceService _service;
    private NamespaceService? _dns;
    private readonly string _wwwDir;

    internal InternetHost(string netns, IPAddress address, string wwwDir, string logPath)
    {
        Netns = netns;
        Address = address;
        _wwwDir = wwwDir;
        _service = new NamespaceService("internet", netns, logPath);
    }

    /// <summary>The namespace's name.</summary>
    public string Netns { get; }

    /// <summary>The internet host's address on the fabric.</summary>
    public IPAddress Address { get; }

    /// <summary><c>http://&lt;Address&gt;/</c> answers <see cref="IndexBody"/>.</summary>
    public string IndexUrl => $"http://{Address}/";

    /// <summary><c>http://&lt;Address&gt;/cgi-bin/whoami</c> answers the requester's source IP (plain IPv4, no ::ffff: prefix).</summary>
    public string WhoAmIUrl => $"http://{Address}/cgi-bin/whoami";

    /// <summary>Runs a command in the internet namespace.</summary>
    public Task<CommandResult> ExecAsync(params string[] argv) => _service.ExecAsync(argv, CancellationToken.None);

    /// <summary>Fetches <paramref name="url"/> from the internet namespace with busybox wget (5 s timeout); the body is StdOut.</summary>
    public Task<CommandResult> HttpGetAsync(string url) =>
        _service.ExecAsync([BusyboxImage.BusyboxPath, "wget", "-qO-", url], CancellationToken.None, TimeSpan.FromSeconds(10));

    internal async Task StartAsync(CancellationToken cancellationToken)
    {
        var cgi = Path.Combine(_wwwDir, "cgi-bin");
        Directory.CreateDirectory(cgi);
        await File.WriteAllTextAsync(Path.Combine(_wwwDir, "index.html"), IndexBody + "\n", cancellationToken).ConfigureAwait(false);
        var whoami = Path.Combine(cgi, "whoami");
        await File.WriteAllTextAsync(whoami, "#!/bin/sh\na=\"${REMOTE_ADDR#\\[}\"\na=\"${a%\\]}\"\necho 'Content-Type: text/plain'\necho\necho \"${a#::ffff:}\"\n", cancellationToken).ConfigureAwait(false);
        File.SetUnixFileMode(whoami, (UnixFileMode)0x1ED);
        _service.Start([BusyboxImage.BusyboxPath, "httpd", "-f", "-p", HttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "-h", _wwwDir]);
        await Poll.UntilAsync(
            async () => (await _service.ExecAsync([BusyboxImage.BusyboxPath, "wget", "-qO-", $"http://127.0.0.1:{HttpPort}/"], cancellationToken, TimeSpan.FromSeconds(5)).ConfigureAwait(false)).Succeeded,
            s_readyTimeout,
            () => $"internet httpd did not answer within {s_readyTimeout.TotalSeconds} s.\n{LogTail.Read(_service.LogPath)}",
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Serves <paramref name="names"/> (name → IPv4, each also answering its subdomains) on UDP and TCP port 53 with
    /// dnsmasq, NXDOMAIN for every other name, forwarding nowhere.
    /// </summary>
    internal async Task StartDnsAsync(IReadOnlyDictionary<string, string> names, string logPath, CancellationToken cancellationToken)
    {
        _dns = new NamespaceService("internet-dns", Netns, logPath);
        _dns.Start(
        [
            "dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null", "--no-resolv", "--no-hosts", "--no-poll", "--user=root",
            "--bind-interfaces", $"--listen-address={Address}", "--port=53", "--pid-file", "--log-facility=-", "--log-queries",
            .. names.Select(n => $"--address=/{n.Key}/{n.Value}"),
            "--address=/#/", // every other name: NXDOMAIN, as a site's resolver answers a name nobody has
        ]);
        var probe = names.Keys.First();
        await Poll.UntilAsync(
            async () => (await _dns.ExecAsync(["dig", "+short", "+time=1", "+tries=1", $"@{Address}", probe], cancellationToken, TimeSpan.FromSeconds(5)).ConfigureAwait(false)).StdOut.Trim().Length > 0,
            s_readyTimeout,
            () => $"internet DNS server did not answer {probe} within {s_readyTimeout.TotalSeconds} s.\n{LogTail.Read(logPath)}",
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_dns is not null)
            await _dns.DisposeAsync().ConfigureAwait(false);
        await _service.DisposeAsync().ConfigureAwait(false);
    }
}
