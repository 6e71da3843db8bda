using DockerNetPlugin.Driver.Trust;

namespace DockerNetPlugin.Driver.Tests.Trust;

public sealed class BackoffPolicyTests
{
    [Fact]
    public void Delay_DoublesPerFailure_UpToTheCap()
    {
        var policy = new BackoffPolicy(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1));

        Assert.Equal([1, 2, 4, 8, 16, 30, 30], Enumerable.Range(1, 7).Select(n => policy.Delay(n).TotalSeconds));
        Assert.Equal(TimeSpan.FromSeconds(30), policy.Delay(10_000));
    }
}
