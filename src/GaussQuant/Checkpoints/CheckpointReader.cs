using static TorchSharp.torch;

namespace GaussQuant.Checkpoints;

/// <summary>
/// An opened checkpoint whose tensors are read one at a time (<see cref="Read"/>), so that a model can take its weights
/// tensor by tensor instead of beside a second copy of all of them: loading then needs the model's memory plus one
/// tensor's. Made by <see cref="CheckpointLoader.Open"/>; the file stays open until this is disposed.
/// </summary>
public sealed class CheckpointReader : IDisposable
{
    private readonly Func<string, Tensor> read;
    private readonly IDisposable[] owned;

    internal CheckpointReader(CheckpointMetadata metadata, IReadOnlyDictionary<string, long[]> shapes, Func<string, Tensor> read,
        params IDisposable[] owned)
    {
        Metadata = metadata;
        Shapes = shapes;
        this.read = read;
        this.owned = owned;
    }

    public CheckpointMetadata Metadata { get; }

    /// <summary>The shape of each tensor this reader was opened for, by state-dict name, in the file's order.</summary>
    public IReadOnlyDictionary<string, long[]> Shapes { get; }

    /// <summary>Reads tensor <paramref name="key"/> (one of <see cref="Shapes"/>) as a new contiguous CPU tensor; the caller disposes it.</summary>
    public Tensor Read(string key) =>
        Shapes.ContainsKey(key) ? read(key) : throw new KeyNotFoundException($"{Metadata.Path}: no tensor '{key}' among those opened");

    /// <summary>Every tensor this reader was opened for, read at once (the caller owns the result).</summary>
    public LoadedCheckpoint ReadAll() => new(ReadEach(Shapes.Keys, read), Metadata);

    /// <summary>The tensors <paramref name="read"/> gives for <paramref name="keys"/>, in order; on a failure those read so far are freed.</summary>
    internal static Dictionary<string, Tensor> ReadEach(IEnumerable<string> keys, Func<string, Tensor> read)
    {
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (string key in keys) tensors[key] = read(key);
        }
        catch
        {
            foreach (var tensor in tensors.Values) tensor.Dispose();
            throw;
        }
        return tensors;
    }

    public void Dispose()
    {
        foreach (var resource in owned) resource.Dispose();
    }
}
