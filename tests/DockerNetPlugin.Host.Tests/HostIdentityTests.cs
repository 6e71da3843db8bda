using DockerNetPlugin.Store;

namespace DockerNetPlugin.Host.Tests;

public sealed class HostIdentityTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dnp-state-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void LoadOrCreate_NewStateFolder_Is0700_AndTheIdFile0600()
    {
        var state = Path.Combine(_dir, "lib", "dnp");

        var id = HostIdentity.LoadOrCreate(state);

        Assert.Equal(id, HostIdentity.LoadOrCreate(state));
        Assert.Equal(PrivateFiles.DirectoryMode, File.GetUnixFileMode(state));
        Assert.Equal(PrivateFiles.FileMode, File.GetUnixFileMode(Path.Combine(state, "host-id")));
    }

    [Fact]
    public void LoadOrCreate_FolderAndIdLeftWideByAnOlderVersion_AreTightened_IdKept()
    {
        File.SetUnixFileMode(_dir, (UnixFileMode)0x1ED /* 0755 */);
        var file = Path.Combine(_dir, "host-id");
        File.WriteAllText(file, "oldhost-1234\n");
        File.SetUnixFileMode(file, (UnixFileMode)0x1A4 /* 0644 */);

        Assert.Equal("oldhost-1234", HostIdentity.LoadOrCreate(_dir));

        Assert.Equal(PrivateFiles.DirectoryMode, File.GetUnixFileMode(_dir));
        Assert.Equal(PrivateFiles.FileMode, File.GetUnixFileMode(file));
    }
}
