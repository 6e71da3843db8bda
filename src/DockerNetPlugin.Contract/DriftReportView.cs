namespace DockerNetPlugin.Contract;

/// <summary>
/// <c>dnp doctor</c>'s answer: drift found, repaired (with <c>--repair</c>) and remaining, and what limited the check.
/// </summary>
public sealed record DriftReportView(IReadOnlyList<DriftItemView> Found, IReadOnlyList<DriftItemView> Repaired, IReadOnlyList<DriftItemView> Remaining, IReadOnlyList<string> Notes)
{
    public bool Clean => Remaining.Count == 0;
}

/// <summary>One difference between what should be and what is: network, kind (e.g. neighbour-missing), object, detail.</summary>
public sealed record DriftItemView(string Network, string Kind, string Object, string Detail, bool Repairable = true);
