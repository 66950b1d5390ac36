using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using GaussQuant.Checkpoints.Pickle;
using static TorchSharp.torch;

namespace GaussQuant.Checkpoints;

/// <summary>
/// The container <c>torch.save</c> wrote before torch 1.6 (and still writes with
/// <c>_use_new_zipfile_serialization=False</c>), in which torchvision's, lpips' and pytorch-fid's weights were
/// published: pickles back to back — a magic number, the format version 1001, a <c>sys_info</c> dictionary, the
/// object (storages as persistent ids), the list of storage keys — then, for each key in that order, an int64
/// element count and the storage's raw bytes. The pickles are parsed from a window at the start of the file that
/// grows until they fit (at most 64 MiB); every storage header is checked against the pickle and the file length
/// when the file is opened, so a truncated or lying file is refused before any tensor is allocated.
/// </summary>
internal sealed class TorchLegacyFile
{
    private const long FormatVersion = 1001;
    private const int InitialWindowBytes = 1 << 20;
    private const long MaxPickleBytes = 64L * 1024 * 1024;
    private const int WindowGrowth = 8;
    private const int CountBytes = 8;

    private static readonly BigInteger MagicNumber = BigInteger.Parse("01950a86a20f9469cfc6c", NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private readonly Stream stream;
    private readonly string path;
    private readonly Dictionary<string, long> dataOffsets;
    private readonly Dictionary<string, string> unlocated;

    /// <param name="dataOffsets">Where each located storage's bytes begin.</param>
    /// <param name="unlocated">Listed storages that cannot be located, each with the storage of unknown type before it.</param>
    private TorchLegacyFile(Stream stream, string path, object? root, Dictionary<string, long> dataOffsets, Dictionary<string, string> unlocated)
    {
        this.stream = stream;
        this.path = path;
        Root = root;
        this.dataOffsets = dataOffsets;
        this.unlocated = unlocated;
    }

    /// <summary>The saved object: a state dict, or a dictionary holding one.</summary>
    public object? Root { get; }

    /// <summary>Whether <paramref name="head"/> (the file's first bytes) begins with the pickled magic number, in any pickle protocol.</summary>
    public static bool IsLegacy(byte[] head)
    {
        try { return PickleReader.Load(head, 0, "file head", new TorchPickleResolver(), out _) is BigInteger number && number == MagicNumber; }
        catch (InvalidDataException) { return false; }
    }

    /// <summary>Parses the pickles and locates every storage; <paramref name="stream"/> must stay open while storages are read.</summary>
    public static TorchLegacyFile Open(Stream stream, string path)
    {
        var pickles = ParsePickles(stream, path);
        return Locate(stream, path, pickles);
    }

    /// <summary>Reads one storage as a 1-D CPU tensor; the caller disposes it.</summary>
    public Tensor ReadStorage(StorageReference storage)
    {
        if (!dataOffsets.TryGetValue(storage.Key, out long offset))
            throw new InvalidDataException(unlocated.TryGetValue(storage.Key, out var unknown)
                ? $"{path}: storage {storage.Key} cannot be located: the list of storages reaches it only past storage {unknown}, whose type this reader does not know"
                : $"{path}: storage {storage.Key} is not in the file's list of storages");
        return StorageTensors.Read(storage, $"{path}: storage {storage.Key}", destination =>
        {
            stream.Seek(offset, SeekOrigin.Begin);
            try { stream.ReadExactly(destination); }
            catch (EndOfStreamException error)
            {
                throw new InvalidDataException($"{path}: storage {storage.Key} ends early (the file shrank while being read?)", error);
            }
        });
    }

    /// <summary>The parsed pickles: the saved object, the listed storage keys, the storages the object described, and where the storages' bytes begin.</summary>
    private sealed record Pickles(object? Root, List<object?> StorageKeys, TorchPickleResolver Resolver, long DataStart);

    private static Pickles ParsePickles(Stream stream, string path)
    {
        long length = stream.Length;
        long largestWindow = Math.Min(length, MaxPickleBytes);
        for (long window = Math.Min(length, InitialWindowBytes); ; window = Math.Min(largestWindow, window * WindowGrowth))
        {
            try { return Parse(path, ReadHead(stream, (int)window)); }
            catch (InvalidDataException) when (window < largestWindow)
            {
                // Most likely the pickles run past the window; a corrupt file fails again at the largest window.
            }
            catch (InvalidDataException error) when (window < length)
            {
                throw new InvalidDataException($"{error.Message} (the pickles of a legacy checkpoint must lie in its first {MaxPickleBytes >> 20} MiB)", error);
            }
        }
    }

    private static byte[] ReadHead(Stream stream, int count)
    {
        var bytes = new byte[count];
        stream.Seek(0, SeekOrigin.Begin);
        stream.ReadExactly(bytes);
        return bytes;
    }

    private static Pickles Parse(string path, byte[] head)
    {
        var resolver = new TorchPickleResolver();
        int position = 0;
        object? Next(string what) => PickleReader.Load(head, position, $"{path} ({what})", resolver, out position);

        if (Next("magic number") is not BigInteger magic || magic != MagicNumber)
            throw new InvalidDataException($"{path}: not a legacy PyTorch checkpoint (wrong magic number)");
        if (PythonValues.AsInt64(Next("format version")) is not FormatVersion)
            throw new InvalidDataException($"{path}: a legacy PyTorch checkpoint of a format version other than {FormatVersion}");
        if (Next("system information") is not PythonDict systemInfo)
            throw new InvalidDataException($"{path}: the system information of a legacy PyTorch checkpoint is not a dictionary");
        if (systemInfo.TryGet("little_endian", out var littleEndian) && littleEndian is false)
            throw new NotSupportedException($"{path}: a legacy checkpoint written on a big-endian machine, which this reader does not handle");
        var root = Next("object");
        if (Next("storage keys") is not List<object?> keys)
            throw new InvalidDataException($"{path}: the list of storages of a legacy PyTorch checkpoint is not a list");
        return new Pickles(root, keys, resolver, position);
    }

    /// <summary>
    /// Walks the storage blocks: each element count must equal the pickle's and its bytes must lie inside the file.
    /// A storage the pickle did not describe (an unknown type) has no known element size, so the walk ends there
    /// and only the storages before it can be read.
    /// </summary>
    private static TorchLegacyFile Locate(Stream stream, string path, Pickles pickles)
    {
        long length = stream.Length;
        var offsets = new Dictionary<string, long>(StringComparer.Ordinal);
        var unlocated = new Dictionary<string, string>(StringComparer.Ordinal);
        Span<byte> countField = stackalloc byte[CountBytes];
        long offset = pickles.DataStart;
        string? unknown = null;
        foreach (var item in pickles.StorageKeys)
        {
            if (item is not string key)
                throw new InvalidDataException($"{path}: the list of storages holds {PythonValues.Describe(item)}, not a storage key");
            if (offsets.ContainsKey(key) || unlocated.ContainsKey(key))
                throw new InvalidDataException($"{path}: storage {key} is listed twice");
            if (unknown is not null || !pickles.Resolver.TryGetStorage(key, out var storage))
            {
                unknown ??= key;
                unlocated[key] = unknown;
                continue;
            }
            if (length - offset < CountBytes)
                throw new InvalidDataException($"{path}: truncated: the file ends at byte {length}, before the element count of storage {key}");
            stream.Seek(offset, SeekOrigin.Begin);
            stream.ReadExactly(countField);
            long count = BinaryPrimitives.ReadInt64LittleEndian(countField);
            if (count != storage.ElementCount)
                throw new InvalidDataException($"{path}: storage {key} holds {count} elements, but the pickle says {storage.ElementCount}");
            long size = ScalarTypeSizes.Of(storage.DType);
            long left = length - offset - CountBytes;
            if (count > left / size)
                throw new InvalidDataException(
                    $"{path}: truncated: storage {key} needs {count} × {size} bytes from byte {offset + CountBytes}, but the file ends at byte {length}");
            offsets[key] = offset + CountBytes;
            offset += CountBytes + count * size;
        }
        return new TorchLegacyFile(stream, path, pickles.Root, offsets, unlocated);
    }
}
