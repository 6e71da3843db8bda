using System.Collections;
using DockerNetPlugin.Driver.Cluster;
using DockerNetPlugin.Host;

namespace DockerNetPlugin.Host.Tests;

/// <summary>DNP_KEY_LAYOUT: auto by default, auto|legacy|host accepted, anything else refused naming the variable.</summary>
public sealed class HostSettingsKeyLayoutTests
{
    [Theory]
    [InlineData(null, KeyLayoutMode.Auto)]
    [InlineData("auto", KeyLayoutMode.Auto)]
    [InlineData("host", KeyLayoutMode.Host)]
    [InlineData("HOST", KeyLayoutMode.Host)]
    [InlineData("legacy", KeyLayoutMode.Legacy)]
    public void KeyLayout_Parsed(string? value, KeyLayoutMode expected)
    {
        var env = new Hashtable();
        if (value is not null)
            env["DNP_KEY_LAYOUT"] = value;
        Assert.Equal(expected, HostSettings.FromEnvironment(env).KeyLayout);
    }

    [Fact]
    public void KeyLayout_Unknown_RefusedNamingTheVariable()
    {
        var e = Assert.Throws<SettingsException>(() => HostSettings.FromEnvironment(new Hashtable { ["DNP_KEY_LAYOUT"] = "by-host" }));
        Assert.Contains("DNP_KEY_LAYOUT='by-host' must be auto, legacy or host", e.Message, StringComparison.Ordinal);
    }
}
