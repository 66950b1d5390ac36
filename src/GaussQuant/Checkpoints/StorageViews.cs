using static TorchSharp.torch;

namespace GaussQuant.Checkpoints;

/// <summary>
/// Materialises the tensors of a PyTorch state dict from the storages they view. A storage that several of the wanted
/// tensors view (tied weights) is read once and kept until disposal; any other is read for its one tensor and handed
/// over or freed at once, so reading tensor by tensor holds no more than one of them beside what the caller keeps.
/// </summary>
internal sealed class StorageViews : IDisposable
{
    private readonly Func<StorageReference, Tensor> readStorage;
    private readonly HashSet<string> shared;
    private readonly Dictionary<string, Tensor> kept = new(StringComparer.Ordinal);

    public StorageViews(IEnumerable<TensorReference> wanted, Func<StorageReference, Tensor> readStorage)
    {
        this.readStorage = readStorage;
        shared = wanted.GroupBy(reference => reference.Storage.Key).Where(group => group.Count() > 1)
            .Select(group => group.Key).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>An independent contiguous tensor with <paramref name="reference"/>'s values; the caller disposes it.</summary>
    public Tensor Read(TensorReference reference)
    {
        string key = reference.Storage.Key;
        if (!shared.Contains(key))
        {
            using var storage = readStorage(reference.Storage);
            return CoversWholly(reference) ? storage.view(reference.Shape) : CopyView(storage, reference);
        }
        // Kept beyond this call, so out of any dispose scope the caller reads in; disposing this frees it.
        if (!kept.TryGetValue(key, out var sharedStorage))
            kept[key] = sharedStorage = readStorage(reference.Storage).DetachFromDisposeScope();
        return CopyView(sharedStorage, reference);
    }

    public void Dispose()
    {
        foreach (var storage in kept.Values) storage.Dispose();
        kept.Clear();
    }

    /// <summary>Whether the tensor is its whole storage in row-major order, so the storage's memory can be handed over as it is.</summary>
    private static bool CoversWholly(TensorReference reference)
    {
        long expected = 1;
        for (int dim = reference.Shape.Length - 1; dim >= 0; dim--)
        {
            if (reference.Shape[dim] != 1 && reference.Strides[dim] != expected) return false;
            expected *= reference.Shape[dim];
        }
        return reference.StorageOffset == 0 && expected == reference.Storage.ElementCount;
    }

    /// <summary>An independent contiguous copy of a strided view, whose bounds the resolver already checked.</summary>
    private static Tensor CopyView(Tensor storage, TensorReference reference)
    {
        var copy = empty(reference.Shape, reference.Storage.DType);
        if (copy.numel() == 0) return copy;
        using var view = storage.as_strided(reference.Shape, reference.Strides, reference.StorageOffset);
        using (no_grad()) copy.copy_(view);
        return copy;
    }
}
