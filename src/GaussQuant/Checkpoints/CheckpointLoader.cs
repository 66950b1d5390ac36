using System.Buffers.Binary;
using GaussQuant.Checkpoints.Pickle;
using TorchSharp;
using static TorchSharp.torch;

namespace GaussQuant.Checkpoints;

/// <summary>
/// Reads model weights from a PyTorch Lightning <c>.ckpt</c>, a bare <c>torch.save</c> state dict (a zip archive,
/// or the legacy format of torch before 1.6), or a <c>.safetensors</c> file, recognised by content rather than by
/// extension. PyTorch files are read with our own bounded unpickler (no Python, no code execution): only the state
/// dict's tensors are materialised; optimizer states, callbacks and hyper-parameters are parsed as opaque data and
/// dropped.
/// </summary>
public static class CheckpointLoader
{
    /// <summary>State-dict prefixes an inference model uses; everything else (<c>loss.*</c>, VF projections…) is training state.</summary>
    public static IReadOnlyList<string> InferencePrefixes { get; } = ["encoder.", "decoder.", "regularization."];

    public static bool IsInferenceKey(string key) => InferencePrefixes.Any(prefix => key.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>
    /// Loads the state dict of <paramref name="path"/>; <paramref name="include"/> picks the keys to read (all when
    /// null), e.g. <see cref="IsInferenceKey"/> to skip the discriminator and LPIPS weights of a training checkpoint.
    /// </summary>
    public static LoadedCheckpoint Load(string path, Func<string, bool>? include = null)
    {
        using var reader = Open(path, include);
        return reader.ReadAll();
    }

    /// <summary>
    /// Opens <paramref name="path"/> and checks its structure without reading any tensor's data; the reader then reads
    /// the tensors <paramref name="include"/> picks (all when null), one at a time.
    /// </summary>
    public static CheckpointReader Open(string path, Func<string, bool>? include = null)
    {
        include ??= _ => true;
        var stream = OpenForReading(path);
        try
        {
            Span<byte> head = stackalloc byte[512];
            int headLength = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            head = head[..headLength];
            stream.Seek(0, SeekOrigin.Begin);

            if (IsSafetensors(head)) return OpenSafetensors(stream, path, include);
            if (head.StartsWith("PK\x03\x04"u8) || head.StartsWith("PK\x05\x06"u8)) return OpenTorchZip(stream, path, include);
            if (head.Length >= 262 && head[257..262].SequenceEqual("ustar"u8))
                throw new NotSupportedException($"{path}: a checkpoint in PyTorch's oldest, tar-based format, which this reader does not handle; re-save it with a newer torch");
            if (head.Length >= 2 && head[0] == 0x80 && head[1] <= 5)
                return TorchLegacyFile.IsLegacy(head.ToArray())
                    ? OpenTorchLegacy(stream, path, include)
                    : throw new InvalidDataException($"{path}: a plain Python pickle, not a PyTorch checkpoint (neither a torch.save zip archive nor a legacy torch.save file)");
            throw new InvalidDataException($"{path}: not a checkpoint (expected a PyTorch .ckpt/.pth zip archive or a .safetensors file)");
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    private static FileStream OpenForReading(string path)
    {
        try { return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read); }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new FileNotFoundException($"{path}: no such file", path, error);
        }
    }

    private static bool IsSafetensors(ReadOnlySpan<byte> head) =>
        head.Length > 8 && BinaryPrimitives.ReadUInt64LittleEndian(head) is > 1 and < 100 * 1024 * 1024 && head[8] == (byte)'{';

    private static CheckpointReader OpenSafetensors(Stream stream, string path, Func<string, bool> include)
    {
        var contents = SafetensorsContents.Open(stream, path);
        var shapes = contents.Keys.Where(include).ToDictionary(key => key, contents.ShapeOf, StringComparer.Ordinal);
        var metadata = new CheckpointMetadata
        {
            Path = path, Format = CheckpointFormat.Safetensors, TensorCount = contents.Keys.Count, Properties = contents.Metadata,
        };
        return new CheckpointReader(metadata, shapes, contents.Read, stream);
    }

    private static CheckpointReader OpenTorchZip(Stream stream, string path, Func<string, bool> include)
    {
        var archive = TorchZipArchive.Open(stream, path);
        try
        {
            var root = PickleReader.Load(archive.ReadPickle(), $"{path} ({archive.PickleEntryName})", new TorchPickleResolver());
            return OpenStateDict(root, path, include, archive.ReadStorage, archive, stream);
        }
        catch
        {
            archive.Dispose();
            throw;
        }
    }

    private static CheckpointReader OpenTorchLegacy(Stream stream, string path, Func<string, bool> include)
    {
        var file = TorchLegacyFile.Open(stream, path);
        return OpenStateDict(file.Root, path, include, file.ReadStorage, stream);
    }

    /// <summary>A reader of the wanted tensors of the state dict in <paramref name="root"/>, from their storages in the container.</summary>
    private static CheckpointReader OpenStateDict(object? root, string path, Func<string, bool> include,
        Func<StorageReference, Tensor> readStorage, params IDisposable[] container)
    {
        var (stateDict, metadata) = FindStateDict(root, path);

        var wanted = new Dictionary<string, TensorReference>(StringComparer.Ordinal);
        var skipped = new List<string>();
        int tensorCount = 0;
        foreach (var (key, value) in stateDict.Items)
        {
            if (key is not string name) { skipped.Add($"{PythonValues.Describe(key)} (not a string key)"); continue; }
            if (value is not TensorReference tensor) { skipped.Add($"{name} ({PythonValues.Describe(value)})"); continue; }
            tensorCount++;
            if (include(name)) wanted[name] = tensor;
        }

        var storages = new StorageViews(wanted.Values, readStorage);
        return new CheckpointReader(metadata with { TensorCount = tensorCount, SkippedEntries = skipped },
            wanted.ToDictionary(pair => pair.Key, pair => pair.Value.Shape, StringComparer.Ordinal),
            key => storages.Read(wanted[key]), [storages, .. container]);
    }

    private static (PythonDict StateDict, CheckpointMetadata Metadata) FindStateDict(object? root, string path)
    {
        if (root is not PythonDict top)
            throw new InvalidDataException($"{path}: not a model checkpoint: it holds a {PythonValues.Describe(root)}, not a dictionary of tensors");

        if (top.TryGet("state_dict", out var nested))
        {
            if (nested is not PythonDict stateDict)
                throw new InvalidDataException($"{path}: 'state_dict' is a {PythonValues.Describe(nested)}, not a dictionary of tensors");
            return (stateDict, new CheckpointMetadata
            {
                Path = path,
                Format = CheckpointFormat.TrainingCheckpoint,
                Epoch = top.TryGet("epoch", out var epoch) ? PythonValues.AsInt64(epoch) : null,
                GlobalStep = top.TryGet("global_step", out var step) ? PythonValues.AsInt64(step) : null,
                LightningVersion = top.TryGet("pytorch-lightning_version", out var version) ? version as string : null,
                TopLevelEntries = top.Items.Select(pair => pair.Key as string ?? PythonValues.Describe(pair.Key)).ToList(),
            });
        }
        if (!top.Items.Any(pair => pair.Value is TensorReference))
            throw new InvalidDataException(
                $"{path}: not a model checkpoint: no 'state_dict' entry and no tensors among its {top.Count} entries ({DescribeKeys(top)})");
        return (top, new CheckpointMetadata { Path = path, Format = CheckpointFormat.StateDict });
    }

    private static string DescribeKeys(PythonDict dict)
    {
        var names = dict.Items.Take(8).Select(pair => pair.Key as string ?? PythonValues.Describe(pair.Key)).ToList();
        return string.Join(", ", names) + (dict.Count > names.Count ? ", …" : "");
    }
}
