using System.Collections;
using DockerNetPlugin.Engine;

namespace DockerNetPlugin.Engine.Tests;

public sealed class DockerEndpointTests
{
    [Fact]
    public void FromEnvironment_DnpDockerHostSet_WinsOverDockerHost()
    {
        var env = new Hashtable { ["DNP_DOCKER_HOST"] = "unix:///run/h1/docker.sock", ["DOCKER_HOST"] = "tcp://10.0.0.1:2375" };

        var endpoint = DockerEndpoint.FromEnvironment(env);

        Assert.Equal("/run/h1/docker.sock", endpoint.SocketPath);
    }

    [Fact]
    public void FromEnvironment_OnlyDockerHost_UsesTcp()
    {
        var endpoint = DockerEndpoint.FromEnvironment(new Hashtable { ["DOCKER_HOST"] = "tcp://10.0.0.1:2375" });

        Assert.False(endpoint.IsUnixSocket);
        Assert.Equal(("10.0.0.1", 2375), (endpoint.Host, endpoint.Port));
    }

    [Fact]
    public void Parse_TcpWithoutPort_Uses2375()
    {
        Assert.Equal(2375, DockerEndpoint.Parse("tcp://h1").Port);
    }

    [Fact]
    public void FromEnvironment_NothingSet_UsesVarRunDockerSock()
    {
        Assert.Equal("/var/run/docker.sock", DockerEndpoint.FromEnvironment(new Hashtable { ["DOCKER_HOST"] = "" }).SocketPath);
    }

    [Theory]
    [InlineData("ssh://host")]
    [InlineData("unix://relative.sock")]
    [InlineData("tcp://")]
    [InlineData("tcp://host:2375/path")]
    public void Parse_Unsupported_ThrowsNamingTheValue(string value)
    {
        var ex = Assert.Throws<ArgumentException>(() => DockerEndpoint.Parse(value));

        Assert.Contains(value, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PingAsync_NoDaemonAtSocket_ThrowsEngineExceptionQuickly()
    {
        using var client = new DockerEngineClient(DockerEndpoint.Parse("unix:///nonexistent/dnpt/docker.sock"), TimeSpan.FromSeconds(2));

        var ex = await Assert.ThrowsAsync<DockerEngineException>(() => client.PingAsync(CancellationToken.None));

        Assert.Null(ex.StatusCode);
        Assert.Contains("unreachable", ex.Message, StringComparison.Ordinal);
    }
}
