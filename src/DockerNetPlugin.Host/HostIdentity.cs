namespace DockerNetPlugin.Host;

/// <summary>This host's stable cluster id: generated once and kept in the state dir, so restarts keep it.</summary>
internal static class HostIdentity
{
    public static string LoadOrCreate(string stateDirectory)
    {
        // dnp's own folder: 0700, also when an older version left it 0755 (tightening takes nothing away from dnp).
        Store.PrivateFiles.CreateDirectory(stateDirectory, tighten: true);
        var path = Path.Combine(stateDirectory, "host-id");
        if (File.Exists(path))
        {
            Store.PrivateFiles.Tighten(path);
            var id = File.ReadAllText(path).Trim();
            if (id.Length > 0)
                return id;
        }
        var fresh = $"{Sanitize(Environment.MachineName)}-{Guid.NewGuid():N}";
        var tmp = path + ".tmp";
        Store.PrivateFiles.WriteAllText(tmp, fresh);
        File.Move(tmp, path, overwrite: true);
        return fresh;
    }

    private static string Sanitize(string name)
    {
        var clean = new string(name.ToLowerInvariant().Where(c => char.IsAsciiLetterOrDigit(c) || c == '-').ToArray());
        return clean.Length == 0 ? "host" : clean[..Math.Min(clean.Length, 14)];
    }
}
