using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(GaussQuant.Bench.CodebookSearchBenchmarks).Assembly).Run(args);
