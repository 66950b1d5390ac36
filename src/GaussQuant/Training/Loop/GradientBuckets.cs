using System.Diagnostics;
using GaussQuant.Distributed;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GaussQuant.Training.Loop;

/// <summary>
/// The reduce phase of a data-parallel step: every rank's gradients are summed over the ranks in buckets, each bucket
/// the gradients of consecutive parameters copied into one flat float32 buffer of about <see cref="BucketBytes"/>,
/// summed by one all-reduce and copied back (one call per bucket, not per tensor: MPI's per-call latency would
/// dominate the many small tensors of a UNet). Each rank's objective was scaled by its share of the batch, so the sums
/// are the gradients of the whole batch's objective. Parameters without a gradient are skipped alike on every rank
/// (which ones get none depends on the graph, not on the data).
/// </summary>
internal sealed class GradientBuckets(ICommunicator ranks, long bucketBytes = GradientBuckets.DefaultBucketBytes)
{
    /// <summary>4 MiB: large enough that a 10 Gbit/s link's per-call latency (~10 µs) is under 1 % of the transfer.</summary>
    public const long DefaultBucketBytes = 4L << 20;

    public long BucketBytes => bucketBytes;

    /// <summary>Gradient bytes summed so far, over every reduce.</summary>
    public long BytesReduced { get; private set; }

    /// <summary>Time spent in the all-reduces so far (copies excluded).</summary>
    public TimeSpan TimeInAllReduce => clock.Elapsed;

    private readonly Stopwatch clock = new();

    public void Sum(IReadOnlyList<Parameter> parameters)
    {
        var bucket = new List<Tensor>();
        long bytes = 0;
        foreach (var parameter in parameters)
        {
            if (parameter.grad is not { } gradient) continue;
            if (gradient.dtype != ScalarType.Float32)
                throw new NotSupportedException($"data-parallel training reduces float32 gradients; a parameter has {gradient.dtype} ones");
            bucket.Add(gradient);
            bytes += gradient.numel() * sizeof(float);
            if (bytes >= bucketBytes)
            {
                SumBucket(bucket);
                bucket.Clear();
                bytes = 0;
            }
        }
        if (bucket.Count > 0)
            SumBucket(bucket);
    }

    private void SumBucket(List<Tensor> gradients)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var values = cat(gradients.Select(gradient => gradient.flatten()).ToList()).to(CPU).data<float>().ToArray();
        clock.Start();
        ranks.AllReduceSum(values);
        clock.Stop();
        BytesReduced += values.Length * sizeof(float);
        var flat = tensor(values, device: gradients[0].device);
        long offset = 0;
        foreach (var gradient in gradients)
        {
            long count = gradient.numel();
            gradient.copy_(flat.narrow(0, offset, count).view(gradient.shape));
            offset += count;
        }
    }
}
