namespace DockerNetPlugin.Integration.Tests.Names;

/// <summary>
/// Bad input to the resolver, sent from inside a container's namespace to the address containers use: malformed,
/// truncated and oversized datagrams, a compression loop, ANY, CHAOS, EDNS version 1, a TCP frame shorter than a header.
/// Each gets its FORMERR / NOTIMP / REFUSED / BADVERS (or is dropped), and the resolver answers names over UDP and TCP
/// afterwards.
/// </summary>
[Collection(NamesCollection.Name)]
public sealed class HostilePacketsTests(NamesBedFixture fixture)
{
    // The machine's busybox (busybox-static), run in the attacker's namespace for nc (TCP only: it has no -u).
    private const string Busybox = "/bin/busybox";

    // A query header: id 0xbeef, RD, one question.
    private const string Header = @"\xbe\xef\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00";

    [Fact]
    public async Task HostilePackets_GetErrorsOrAreDropped_AndTheResolverKeepsAnswering()
    {
        var h1 = new NameScenario(fixture.Bed.Hosts[0]);
        await h1.Docker.CreateNetworkAsync("rough", "--subnet", "10.53.8.0/24");
        try
        {
            await h1.Docker.RunAsync("target", "rough");
            await h1.Docker.RunAsync("attacker", "rough");
            var target = await h1.Docker.IpOfAsync("target", "rough");
            Assert.Equal([target], await NameScenario.EventuallyAsync(() => h1.DigShortAsync("attacker", "target"), [target], TimeSpan.FromSeconds(5)));

            // Raw datagrams: the response code is the low nibble of the fourth byte.
            Assert.Equal(1, await RawRcodeAsync(h1, Header + @"\xc0\x0c\x00\x01\x00\x01")); // name pointing at itself
            Assert.Equal(1, await RawRcodeAsync(h1, Header + @"\x05alpha"));               // question cut short
            Assert.Equal(1, await RawRcodeAsync(h1, Header + @"\x06target\x00\x00\x00\x00\x01")); // type 0
            Assert.Equal(1, await RawRcodeAsync(h1, Header + new string('A', 3000)));       // oversized, reserved label bits
            Assert.Null(await RawRcodeAsync(h1, @"\x01\x02\x03"));                            // shorter than a header: dropped

            // What dig can ask that we do not serve.
            Assert.Equal("NOTIMP", await h1.DigStatusAsync("attacker", "target", "ANY"));
            Assert.Equal("NOTIMP", await h1.DigStatusAsync("attacker", "target", "ANY", "+tcp"));
            Assert.Equal("REFUSED", await h1.DigStatusAsync("attacker", "version.bind", "TXT", "-c", "CH"));
            Assert.Equal("BADVERS", await h1.DigStatusAsync("attacker", "target", "A", "+edns=1", "+noednsnegotiation"));

            // A TCP frame shorter than a header: the connection is closed, nothing else happens.
            var shortFrame = await h1.InContainerNetnsAsync("attacker",
                ["bash", "-c", $"printf '\\x00\\x03abc' | {Busybox} nc -w 2 {NamesBedFixture.Resolver} 53 | wc -c"]);
            Assert.Equal("0", shortFrame.StdOut.Trim());

            // Still answering, over UDP and TCP.
            Assert.Equal([target], await h1.DigShortAsync("attacker", "target"));
            Assert.Equal([target], await h1.DigShortAsync("attacker", "target", "A", NamesBedFixture.Resolver, "+tcp"));
        }
        finally
        {
            await h1.Docker.RemoveAsync(["target", "attacker"], "rough");
        }
    }

    /// <summary>
    /// Sends one datagram (printf escapes, one write on bash's /dev/udp socket) from the attacker's namespace and reads one
    /// datagram back; the answer's RCODE, or null when none came within 2 s.
    /// </summary>
    private static async Task<int?> RawRcodeAsync(NameScenario host, string bytes)
    {
        var result = await host.InContainerNetnsAsync("attacker",
            ["bash", "-c", $"exec 3<>/dev/udp/{NamesBedFixture.Resolver}/53; printf '{bytes}' >&3; timeout 2 dd bs=65535 count=1 status=none <&3 | od -An -v -tx1 | tr -s ' \\n' ' '"]);
        var hex = result.StdOut.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return hex.Length >= 4 ? Convert.ToInt32(hex[3], 16) & 0x0F : null;
    }
}
