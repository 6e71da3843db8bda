using System.Net;
using DockerNetPlugin.Ipam.Tests.Fakes;
using Microsoft.Extensions.Logging.Abstractions;

namespace DockerNetPlugin.Ipam.Tests;

public sealed class IpamServiceConstructionTests : IpamStoreTestBase
{
    public static TheoryData<IpamOptions, string> BadOptions => new()
    {
        { new IpamOptions(), "HostId" },
        { new IpamOptions("h1") { CasAttempts = 0 }, "CasAttempts" },
        { new IpamOptions("h1") { DefaultPoolsV4 = [IPNetwork.Parse("fd00::/48")] }, "is not IPv4" },
        { new IpamOptions("h1") { DefaultPrefixV4 = 8 }, "does not fit" },
        { new IpamOptions("h1") { DefaultPrefixV6 = 129 }, "does not fit" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Constructor_BadOptions_ThrowsNamingTheSetting(IpamOptions options, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => new IpamService(new FaultyKvStore(Env.Store), options, NullLogger<IpamService>.Instance));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_DefaultOptions_DocumentedDefaults()
    {
        var options = new IpamOptions("h1");
        Assert.Equal([IPNetwork.Parse("10.192.0.0/12")], options.DefaultPoolsV4);
        Assert.Equal([IPNetwork.Parse("fd5a:7e1d:d1b0::/48")], options.DefaultPoolsV6);
        Assert.Equal((24, 64, 20), (options.DefaultPrefixV4, options.DefaultPrefixV6, options.CasAttempts));
    }
}
