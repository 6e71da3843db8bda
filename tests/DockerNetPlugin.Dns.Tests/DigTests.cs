using System.Diagnostics;
using System.Net;
using DockerNetPlugin.Dns.Wire;

namespace DockerNetPlugin.Dns.Tests;

/// <summary>The running resolver queried by a real client, BIND's dig, over UDP and TCP.</summary>
public sealed class DigTests
{
    private static async Task<string> DigAsync(IPEndPoint server, params string[] arguments)
    {
        var start = new ProcessStartInfo(DigFactAttribute.DigPath ?? "dig") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "@" + server.Address, "-p", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "+time=5", "+tries=1" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"dig {string.Join(' ', arguments)} exited {process.ExitCode}: {output}{await process.StandardError.ReadToEndAsync()}");
        return output;
    }

    [DigFact]
    public async Task Dig_UdpAndTcp_ResolvesNamesAliasesPtrAndForwards()
    {
        var table = new NameTable();
        table.SetNetwork("n1", "shop");
        table.Upsert(Records.On("n1", "client", "127.0.0.1"));
        table.Upsert(Records.On("n1", "web", "10.1.0.3", "fd01::3", aliases: ["frontend"]));
        table.Upsert(Records.On("n1", "web2", "10.1.0.4", host: "h2", aliases: ["frontend"]));
        await using var upstream = new FakeUpstream(IPAddress.Parse("127.0.0.3"), q => FakeUpstream.Reply(q, DnsRcode.NoError, 42));
        await using var server = LoopbackServer.Start(table, new DnsServerOptions { UpstreamServers = [upstream.Endpoint] });

        Assert.Equal("10.1.0.3", (await DigAsync(server.Endpoint, "web", "A", "+short")).Trim());
        Assert.Equal("10.1.0.3", (await DigAsync(server.Endpoint, "+tcp", "WEB.shop", "A", "+short")).Trim());
        Assert.Equal(["10.1.0.3", "10.1.0.4"], (await DigAsync(server.Endpoint, "frontend", "A", "+short")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Order());
        Assert.Equal("fd01::3", (await DigAsync(server.Endpoint, "+tcp", "web", "AAAA", "+short")).Trim());
        Assert.Equal("web.shop.", (await DigAsync(server.Endpoint, "-x", "10.1.0.3", "+short")).Trim());
        Assert.Contains("status: NOERROR", await DigAsync(server.Endpoint, "web2", "AAAA"), StringComparison.Ordinal);
        Assert.Equal("192.0.2.42", (await DigAsync(server.Endpoint, "example.org", "A", "+short")).Trim());
        Assert.Equal("192.0.2.42", (await DigAsync(server.Endpoint, "+tcp", "example.org", "A", "+short")).Trim());
        Assert.Contains("status: NOTIMP", await DigAsync(server.Endpoint, "web", "ANY"), StringComparison.Ordinal);
    }
}
