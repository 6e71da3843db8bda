using System.Globalization;
using DockerNetPlugin.Store;

namespace DockerNetPlugin.Driver.Sandbox;

/// <summary>
/// Proof that this plugin made a namespace or a device: a marker file it wrote when it made it, in its own state
/// folder (<c>DNP_STATE_DIR/owned/&lt;kind&gt;/&lt;name&gt;</c>, 0700/0600), holding the host id and the object's kernel
/// identity (a namespace's nsfs inode, a device's ifindex). Only an object whose marker names this host and whose
/// identity still matches may be deleted as stale: a foreign <c>dnp-…</c> namespace in the folder, another dnp instance's
/// namespace (another state folder, so another host id) or Docker's own <c>vx-…</c> devices never have one. A name that
/// was reused (the object deleted and made again by someone else) fails the identity check.
/// </summary>
internal sealed class OwnershipMarkers
{
    public const string Namespace = "netns";
    public const string Link = "link";

    private readonly string _directory;
    private readonly string _hostId;

    public OwnershipMarkers(string stateDirectory, string hostId)
    {
        ArgumentException.ThrowIfNullOrEmpty(stateDirectory);
        ArgumentException.ThrowIfNullOrEmpty(hostId);
        _directory = Path.Combine(stateDirectory, "owned");
        _hostId = hostId;
    }

    /// <summary>Records that this host made <paramref name="name"/> (of <paramref name="kind"/>) with this kernel identity.</summary>
    public void Mark(string kind, string name, ulong identity)
    {
        var folder = Path.Combine(_directory, kind);
        PrivateFiles.CreateDirectory(_directory, tighten: true);
        PrivateFiles.CreateDirectory(folder, tighten: true);
        using var file = PrivateFiles.Open(Path.Combine(folder, name), FileMode.Create, FileAccess.Write, FileShare.None);
        using var writer = new StreamWriter(file);
        writer.Write(string.Create(CultureInfo.InvariantCulture, $"dnp-owner v1 host={_hostId} id={identity}\n"));
    }

    /// <summary>True only when a marker for <paramref name="name"/> names this host and <paramref name="identity"/>.</summary>
    public bool Proves(string kind, string name, ulong identity)
    {
        try
        {
            var text = File.ReadAllText(Path.Combine(_directory, kind, name)).Trim();
            return text == string.Create(CultureInfo.InvariantCulture, $"dnp-owner v1 host={_hostId} id={identity}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public void Forget(string kind, string name)
    {
        try
        {
            File.Delete(Path.Combine(_directory, kind, name));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // a marker that cannot be removed proves nothing once its object is gone (the identity differs)
        }
    }
}
