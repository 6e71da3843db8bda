namespace DockerNetPlugin.Cli;

/// <summary>A verb's arguments: positional words and the flags every inspecting verb shares (<c>--json</c>).</summary>
internal sealed record CliArguments(IReadOnlyList<string> Positional, bool Json)
{
    public static CliArguments Parse(IEnumerable<string> args)
    {
        var positional = new List<string>();
        var json = false;
        foreach (var arg in args)
        {
            if (arg == "--json")
                json = true;
            else if (arg.StartsWith('-') && arg.Length > 1)
                throw new CliException($"unknown option '{arg}'", 2);
            else
                positional.Add(arg);
        }
        return new CliArguments(positional, json);
    }

    /// <summary>The one positional argument a verb needs, e.g. <c>dnp peers NET</c>.</summary>
    public string Single(string verb, string name)
    {
        if (Positional.Count != 1)
            throw new CliException($"usage: dnp {verb} {name} [--json]", 2);
        return Positional[0];
    }

    public void None(string verb)
    {
        if (Positional.Count != 0)
            throw new CliException($"usage: dnp {verb} [--json]", 2);
    }
}
