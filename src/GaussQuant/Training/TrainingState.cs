using System.Text;
using System.Text.Json;
using GaussQuant.IO;
using GaussQuant.Quantization;
using static TorchSharp.torch;

namespace GaussQuant.Training;

/// <summary>
/// Everything besides the weights that a resumed run needs to continue exactly: the step and the position in the
/// data order, the quantizer's adaptive weights (which the reference loses on resume), the sampling generator's state
/// and both optimisers' moments. Stored in <c>state-NNNNNN.bin</c>: a magic, a JSON header, the generator state, then
/// the optimiser state.
/// </summary>
internal sealed record TrainingState(long Step, long Epoch, int BatchInEpoch, int Seed, AdaptiveKlWeights Weights, int SkippedImages)
{
    private static readonly byte[] Magic = "GQSTATE1"u8.ToArray();

    /// <summary>
    /// The data position after <paramref name="batch"/> (the next batch of its epoch, or the next epoch's first), with
    /// <paramref name="unreadable"/> more files skipped (over every rank).
    /// </summary>
    public TrainingState After(TrainingBatch batch, int batchesPerEpoch, int unreadable) =>
        (batch.Index + 1 < batchesPerEpoch
            ? this with { Epoch = batch.Epoch, BatchInEpoch = batch.Index + 1 }
            : this with { Epoch = batch.Epoch + 1, BatchInEpoch = 0 }) with { SkippedImages = SkippedImages + unreadable };

    public void Write(string path, Generator generator, AdversarialOptimizers optimizers)
    {
        using var file = AtomicFile.Create(path);
        using (var writer = new BinaryWriter(file.Stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            byte[] header = JsonSerializer.SerializeToUtf8Bytes(new Header(Step, Epoch, BatchInEpoch, Seed,
                Weights.Lambda, Weights.LambdaMin, Weights.LambdaMax, SkippedImages));
            writer.Write(header.Length);
            writer.Write(header);
            using var generatorState = generator.get_state();
            byte[] generatorBytes = generatorState.bytes.ToArray();
            writer.Write(generatorBytes.Length);
            writer.Write(generatorBytes);
        }
        optimizers.SaveState(file.Stream);
        file.Commit();
    }

    /// <summary>Reads a state file, restoring the generator and the optimisers in place.</summary>
    public static TrainingState Read(string path, Generator generator, AdversarialOptimizers optimizers)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        try
        {
            if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic))
                throw new InvalidDataException($"{path}: not a GaussQuant training state file");
            int headerLength = reader.ReadInt32();
            if (headerLength is < 2 or > 1 << 20) throw new InvalidDataException($"{path}: corrupt header length {headerLength}");
            var header = JsonSerializer.Deserialize<Header>(reader.ReadBytes(headerLength))
                         ?? throw new InvalidDataException($"{path}: empty header");
            int generatorLength = reader.ReadInt32();
            if (generatorLength is < 1 or > 1 << 20) throw new InvalidDataException($"{path}: corrupt generator state length {generatorLength}");
            byte[] generatorBytes = reader.ReadBytes(generatorLength);
            if (generatorBytes.Length != generatorLength) throw new InvalidDataException($"{path}: truncated generator state");
            using var generatorState = tensor(generatorBytes, ScalarType.Byte);
            generator.set_state(generatorState);
            optimizers.LoadState(stream, path);
            return new TrainingState(header.Step, header.Epoch, header.BatchInEpoch, header.Seed,
                new AdaptiveKlWeights(header.Lambda, header.LambdaMin, header.LambdaMax), header.SkippedImages);
        }
        catch (Exception error) when (error is EndOfStreamException or JsonException)
        {
            throw new InvalidDataException($"{path}: truncated or corrupt training state ({error.Message})", error);
        }
    }

    private sealed record Header(long Step, long Epoch, int BatchInEpoch, int Seed, double Lambda, double LambdaMin, double LambdaMax, int SkippedImages);
}
