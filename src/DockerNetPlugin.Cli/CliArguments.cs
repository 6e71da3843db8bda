namespace DockerNetPlugin.Cli;

/// <summary>A verb's arguments: positional words, the flag every inspecting verb shares (<c>--json</c>) and doctor's <c>--repair</c>.</summary>
internal sealed record CliArguments(IReadOnlyList<string> Positional, bool Json, bool Repair = false)
{
    public static CliArguments Parse(IEnumerable<string> args)
    {
        var positional = new List<string>();
        var json = false;
        var repair = false;
        foreach (var arg in args)
        {
            if (arg == "--json")
                json = true;
            else if (arg == "--repair")
                repair = true;
            else if (arg.StartsWith('-') && arg.Length > 1)
                throw new CliException($"unknown option '{arg}'", 2);
            else
                positional.Add(arg);
        }
        return new CliArguments(positional, json, repair);
    }

    /// <summary>The one positional argument a verb needs, e.g. <c>dnp peers NET</c>.</summary>
    public string Single(string verb, string name)
    {
        NoRepair(verb);
        if (Positional.Count != 1)
            throw new CliException($"usage: dnp {verb} {name} [--json]", 2);
        return Positional[0];
    }

    /// <summary>An optional positional argument, e.g. <c>dnp names [NET]</c>; null when absent.</summary>
    public string? Optional(string verb, string name)
    {
        NoRepair(verb);
        if (Positional.Count > 1)
            throw new CliException($"usage: dnp {verb} [{name}] [--json]", 2);
        return Positional.Count == 1 ? Positional[0] : null;
    }

    public void None(string verb)
    {
        NoRepair(verb);
        if (Positional.Count != 0)
            throw new CliException($"usage: dnp {verb} [--json]", 2);
    }

    private void NoRepair(string verb)
    {
        if (Repair && verb != "doctor")
            throw new CliException("--repair is an option of `dnp doctor` only", 2);
    }
}
