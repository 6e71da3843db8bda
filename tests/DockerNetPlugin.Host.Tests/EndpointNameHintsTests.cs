using System.Net;

namespace DockerNetPlugin.Host.Tests;

/// <summary>Docker 29's endpoint name, carried from RequestAddress to the CreateEndpoint of the same address.</summary>
public sealed class EndpointNameHintsTests
{
    private static Dictionary<string, string> Named(string name) => new() { [EndpointNameHints.EndpointNameOption] = name };

    [Fact]
    public void NameSentWithRequestAddress_IsTakenOnceByTheEndpointOfThatAddress()
    {
        var hints = new EndpointNameHints();
        hints.Remember("10.0.0.2", Named("web"));
        hints.Remember("fd00::2", Named("db"));

        Assert.Null(hints.Take(IPAddress.Parse("10.0.0.3")));
        Assert.Equal("web", hints.Take(IPAddress.Parse("10.0.0.2"), IPAddress.Parse("fd00::9")));
        Assert.Null(hints.Take(IPAddress.Parse("10.0.0.2"))); // taken once
        Assert.Equal("db", hints.Take(null, IPAddress.Parse("fd00::2"))); // an IPv6-only endpoint
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("no spaces allowed")]
    public void OlderEngines_OrUnservableNames_LeaveNoHint(string? name)
    {
        var hints = new EndpointNameHints();
        hints.Remember("10.0.0.2", name is null ? new Dictionary<string, string>() : Named(name));
        hints.Remember("10.0.0.3", null);
        Assert.Null(hints.Take(IPAddress.Parse("10.0.0.2"), IPAddress.Parse("10.0.0.3")));
    }
}
