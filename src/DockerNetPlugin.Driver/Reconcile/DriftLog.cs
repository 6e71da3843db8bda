namespace DockerNetPlugin.Driver.Reconcile;

/// <summary>Collects the drift one reconciliation pass finds, and which items it goes on to repair.</summary>
public sealed class DriftLog
{
    private readonly List<DriftItem> _found = [];
    private readonly List<DriftItem> _repairing = [];
    private readonly List<string> _notes = [];

    public IReadOnlyList<DriftItem> Found => _found;
    public IReadOnlyList<DriftItem> Repairing => _repairing;
    public IReadOnlyList<string> Notes => _notes;

    /// <summary>Records <paramref name="item"/>; true when the caller should repair it now.</summary>
    public bool Add(DriftItem item, bool repair)
    {
        _found.Add(item);
        if (!repair || !item.Repairable)
            return false;
        _repairing.Add(item);
        return true;
    }

    public void Note(string note) => _notes.Add(note);
}
