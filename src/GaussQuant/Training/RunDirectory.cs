using System.Globalization;
using System.Text;
using GaussQuant.IO;

namespace GaussQuant.Training;

/// <summary>
/// The files of one training run (ARCHITECTURE.md, "File formats"): <c>config.yaml</c> (resolved),
/// <c>checkpoints/step-NNNNNN.safetensors</c> + <c>checkpoints/state-NNNNNN.bin</c>, the <c>checkpoints/last</c> pointer,
/// <c>metrics.csv</c>, TensorBoard <c>events.out.tfevents.*</c>, <c>images/step-NNNNNN.png</c> and the final
/// <c>model.safetensors</c>. Every file is written under a temporary name and renamed.
/// </summary>
internal sealed class RunDirectory(string root)
{
    public string Root { get; } = Path.GetFullPath(root);

    public string ConfigPath => Path.Combine(Root, "config.yaml");

    public string MetricsPath => Path.Combine(Root, "metrics.csv");

    public string FinalModelPath => Path.Combine(Root, "model.safetensors");

    private string Checkpoints => Path.Combine(Root, "checkpoints");

    private string Images => Path.Combine(Root, "images");

    private string LastPointer => Path.Combine(Checkpoints, "last");

    public string WeightsPath(long step) => Path.Combine(Checkpoints, $"step-{step:D6}.safetensors");

    public string StatePath(long step) => Path.Combine(Checkpoints, $"state-{step:D6}.bin");

    public string SamplesPath(long step) => Path.Combine(Images, $"step-{step:D6}.png");

    /// <summary>The files and folders of a run that exist in the directory (other files are not the run's).</summary>
    public IReadOnlyList<string> ExistingEntries()
    {
        if (!Directory.Exists(Root))
            return [];
        string[] named = [ConfigPath, MetricsPath, FinalModelPath, Checkpoints, Images];
        return named.Where(Path.Exists).Concat(Directory.EnumerateFiles(Root, "events.out.tfevents.*").Order(StringComparer.Ordinal)).ToList();
    }

    /// <summary>Deletes entries listed by <see cref="ExistingEntries"/>, so a new run does not mix with an old one.</summary>
    public void Delete(IEnumerable<string> entries)
    {
        foreach (string entry in entries)
        {
            if (Directory.Exists(entry))
                Directory.Delete(entry, recursive: true);
            else
                File.Delete(entry);
        }
    }

    public void Create()
    {
        Directory.CreateDirectory(Checkpoints);
        Directory.CreateDirectory(Images);
    }

    /// <summary>The step of the last complete checkpoint, or null when there is none.</summary>
    public long? LastStep()
    {
        if (!File.Exists(LastPointer)) return null;
        string text = File.ReadAllText(LastPointer).Trim();
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long step))
            throw new InvalidDataException($"{LastPointer}: expected a step number, found '{text}'");
        if (!File.Exists(WeightsPath(step)) || !File.Exists(StatePath(step)))
            throw new InvalidDataException($"{LastPointer} names step {step}, but its checkpoint files are missing");
        return step;
    }

    /// <summary>Points <c>last</c> at a checkpoint whose files are completely written.</summary>
    public void MarkLast(long step) =>
        AtomicFile.WriteAllBytes(LastPointer, Encoding.ASCII.GetBytes(step.ToString(CultureInfo.InvariantCulture) + "\n"));
}
