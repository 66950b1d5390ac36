using System.Diagnostics;
using GaussQuant.Quantization;

int size = int.Parse(args[0]), dim = int.Parse(args[1]), rows = int.Parse(args[2]);
var kernel = Enum.Parse<SearchKernel>(args.Length > 3 ? args[3] : "Auto");
var codebook = Codebook.Create(dim, size);
var random = new Random(1);
var means = new float[rows * dim]; var stds = new float[rows * dim];
for (int i = 0; i < means.Length; i++) { means[i] = (float)(random.NextDouble() * 2 - 1); stds[i] = (float)(0.2 + 0.4 * random.NextDouble()); }
using var search = new CodebookSearch(codebook, 1.0, new CodebookSearchOptions { Kernel = kernel, MaxThreads = args.Length > 4 ? int.Parse(args[4]) : Environment.ProcessorCount });
var indices = new long[rows];
search.Search(means, stds, indices);
var cpu = Process.GetCurrentProcess().TotalProcessorTime;
var watch = Stopwatch.StartNew();
search.Search(means, stds, indices);
var cpuUsed = Process.GetCurrentProcess().TotalProcessorTime - cpu;
Console.WriteLine($"{search.KernelName} K={size} d={dim} rows={rows}: {rows / watch.Elapsed.TotalSeconds:F0} tokens/s wall, {rows / cpuUsed.TotalSeconds:F0} tokens per CPU-second");
static void Gemm(int threads)
{
    TorchSharp.torch.set_num_threads(threads);
    using var a = TorchSharp.torch.randn(2048, 2048); using var b = TorchSharp.torch.randn(2048, 2048);
    using (var _ = a.matmul(b)) { }
    var w = Stopwatch.StartNew(); int n = 5;
    for (int i = 0; i < n; i++) using (var _ = a.matmul(b)) { }
    Console.WriteLine($"gemm threads={threads}: {n * 2.0 * 2048 * 2048 * 2048 / w.Elapsed.TotalSeconds / 1e9:F1} GFLOP/s");
    using var x = TorchSharp.torch.randn(2048, 32); using var y = TorchSharp.torch.randn(32, 65536);
    using (var _ = x.matmul(y)) { }
    w.Restart();
    using (var _ = x.matmul(y)) { }
    Console.WriteLine($"search-shaped gemm threads={threads}: {2.0 * 2048 * 32 * 65536 / w.Elapsed.TotalSeconds / 1e9:F1} GFLOP/s");
}
Gemm(1); Gemm(2);
