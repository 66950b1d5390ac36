using System.IO.Compression;
using static TorchSharp.torch;

namespace GaussQuant.Checkpoints;

/// <summary>
/// The zip container <c>torch.save</c> writes since torch 1.6: <c>{name}/data.pkl</c> (the pickled object),
/// <c>{name}/data/{key}</c> (one raw little-endian storage per key), <c>{name}/version</c> and, from torch 2.1,
/// <c>{name}/byteorder</c>. Sizes come from the zip directory and are checked before anything is read, so a
/// zip bomb or a lying header is refused without allocating.
/// </summary>
internal sealed class TorchZipArchive : IDisposable
{
    private const long MaxPickleBytes = 64L * 1024 * 1024;
    private const long MaxCompressionRatio = 100; // torch stores entries uncompressed; a high ratio is a zip bomb
    private const long SmallEntryBytes = 1024 * 1024;

    private readonly ZipArchive zip;
    private readonly string path;
    private readonly string prefix;

    private TorchZipArchive(ZipArchive zip, string path, string prefix)
    {
        this.zip = zip;
        this.path = path;
        this.prefix = prefix;
    }

    public string PickleEntryName => prefix + "data.pkl";

    public static TorchZipArchive Open(Stream stream, string path)
    {
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            // The central directory is read lazily; reading it here keeps its errors inside this handler.
            _ = zip.Entries.Count;
        }
        catch (Exception error) when (error is InvalidDataException or ArgumentException or IOException)
        {
            throw new InvalidDataException($"{path}: truncated or corrupt zip archive ({error.Message})", error);
        }
        try
        {
            foreach (var entry in zip.Entries)
                if (entry.Length > SmallEntryBytes && entry.Length > MaxCompressionRatio * Math.Max(1, entry.CompressedLength))
                    throw new InvalidDataException(
                        $"{path}: zip entry '{entry.FullName}' claims {entry.Length} bytes from {entry.CompressedLength} compressed (a zip bomb?); refusing it");
            var pickles = zip.Entries.Where(entry => entry.FullName == "data.pkl" || IsTopLevelPickle(entry.FullName)).ToList();
            if (pickles.Count != 1)
                throw new InvalidDataException(pickles.Count == 0
                    ? $"{path}: a zip archive without data.pkl, not a PyTorch checkpoint"
                    : $"{path}: a zip archive with {pickles.Count} data.pkl records, not a PyTorch checkpoint");
            var archive = new TorchZipArchive(zip, path, pickles[0].FullName[..^"data.pkl".Length]);
            archive.CheckByteOrder();
            return archive;
        }
        catch
        {
            zip.Dispose();
            throw;
        }
    }

    public byte[] ReadPickle()
    {
        var entry = zip.GetEntry(PickleEntryName)!;
        if (entry.Length > MaxPickleBytes)
            throw new InvalidDataException($"{path}: {entry.FullName} is {entry.Length} bytes, more than a checkpoint's pickle can sensibly be");
        var bytes = new byte[entry.Length];
        ReadExactly(entry, bytes);
        return bytes;
    }

    /// <summary>Reads one storage as a 1-D CPU tensor; the caller disposes it.</summary>
    public Tensor ReadStorage(StorageReference storage)
    {
        string name = $"{prefix}data/{storage.Key}";
        var entry = zip.GetEntry(name) ?? throw new InvalidDataException($"{path}: storage record '{name}' is missing");
        long size = ScalarTypeSizes.Of(storage.DType);
        // Compared by division: a lying element count (2^61) must not overflow into a small byte count.
        if (storage.ElementCount < 0 || storage.ElementCount > entry.Length / size)
            throw new InvalidDataException(
                $"{path}: storage record '{name}' holds {entry.Length} bytes, but the pickle expects {storage.ElementCount} elements of {size} bytes");
        return StorageTensors.Read(storage, $"{path}: storage record '{name}'", destination => ReadExactly(entry, destination));
    }

    public void Dispose() => zip.Dispose();

    private static bool IsTopLevelPickle(string name) =>
        name.EndsWith("/data.pkl", StringComparison.Ordinal) && name.IndexOf('/') == name.Length - "/data.pkl".Length;

    private void CheckByteOrder()
    {
        var entry = zip.GetEntry(prefix + "byteorder");
        if (entry is null) return; // written since torch 2.1; older files are little-endian
        if (entry.Length > 16) throw new InvalidDataException($"{path}: malformed byteorder record");
        var bytes = new byte[entry.Length];
        ReadExactly(entry, bytes);
        if (System.Text.Encoding.ASCII.GetString(bytes).Trim() != "little")
            throw new NotSupportedException($"{path}: a big-endian checkpoint; re-save it on a little-endian machine");
    }

    private void ReadExactly(ZipArchiveEntry entry, Span<byte> destination)
    {
        try
        {
            using var stream = entry.Open();
            stream.ReadExactly(destination);
        }
        catch (Exception error) when (error is EndOfStreamException or InvalidDataException or IOException)
        {
            throw new InvalidDataException($"{path}: cannot read zip record '{entry.FullName}' (truncated or corrupt: {error.Message})", error);
        }
    }
}
