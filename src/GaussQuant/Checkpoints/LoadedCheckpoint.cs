using static TorchSharp.torch;

namespace GaussQuant.Checkpoints;

/// <summary>Tensors read from a checkpoint (CPU, contiguous, under their state-dict names) and its metadata; disposing it frees the tensors.</summary>
public sealed class LoadedCheckpoint(IReadOnlyDictionary<string, Tensor> tensors, CheckpointMetadata metadata) : IDisposable
{
    public IReadOnlyDictionary<string, Tensor> Tensors { get; } = tensors;

    public CheckpointMetadata Metadata { get; } = metadata;

    public void Dispose()
    {
        foreach (var tensor in Tensors.Values) tensor.Dispose();
    }
}
