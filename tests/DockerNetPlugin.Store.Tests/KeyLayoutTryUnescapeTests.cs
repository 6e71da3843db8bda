using DockerNetPlugin.Store;

namespace DockerNetPlugin.Store.Tests;

public sealed class KeyLayoutTryUnescapeTests
{
    [Theory]
    [InlineData("net1", "net1")]
    [InlineData("10_2e0_2e0_2e0_2f24", "10.0.0.0/24")]
    [InlineData("_", "")]
    public void TryUnescape_WhatEscapeMakes_RoundTrips(string segment, string expected)
    {
        Assert.True(KeyLayout.TryUnescape(segment, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("_zz")]
    [InlineData("a_4")]
    [InlineData("_2E")]
    [InlineData("NET")]
    [InlineData("a/b")]
    [InlineData("")]
    [InlineData("_ff_fe")]
    public void TryUnescape_AnythingElse_IsFalseNotAnException(string segment)
    {
        Assert.False(KeyLayout.TryUnescape(segment, out _));
    }
}
