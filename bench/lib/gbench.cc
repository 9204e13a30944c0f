// SPDX-License-Identifier: GPL-2.0
// The only C++ in mnbench: Google Benchmark's API behind extern "C".
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <sstream>
#include <string>

#include <benchmark/benchmark.h>

#include "gbench.h"
#include "schema_version.h"

struct gb_state {
	benchmark::State *st;
};

void gb_register(const char *name, gb_fn fn, void *arg,
		 const struct gb_options *opts)
{
	auto *b = benchmark::RegisterBenchmark(
		name, [fn, arg](benchmark::State &st) {
			struct gb_state s = { &st };

			fn(&s, arg);
		});

	if (opts && opts->iterations)
		b->Iterations(opts->iterations);
	if (opts && opts->manual_time)
		b->UseManualTime();
	if (opts && opts->repetitions)
		b->Repetitions(opts->repetitions);
}

bool gb_keep_running(struct gb_state *s)
{
	return s->st->KeepRunning();
}

int64_t gb_iterations(const struct gb_state *s)
{
	return s->st->iterations();
}

void gb_pause(struct gb_state *s)
{
	s->st->PauseTiming();
}

void gb_resume(struct gb_state *s)
{
	s->st->ResumeTiming();
}

void gb_set_iteration_time(struct gb_state *s, double seconds)
{
	s->st->SetIterationTime(seconds);
}

void gb_set_items_processed(struct gb_state *s, int64_t items)
{
	s->st->SetItemsProcessed(items);
}

void gb_counter(struct gb_state *s, const char *name, double value,
		unsigned int flags)
{
	int f = benchmark::Counter::kDefaults;

	if (flags & GB_COUNTER_RATE)
		f |= benchmark::Counter::kIsRate;
	if (flags & GB_COUNTER_PER_ITERATION)
		f |= benchmark::Counter::kAvgIterations;
	s->st->counters[name] = benchmark::Counter(
		value, static_cast<benchmark::Counter::Flags>(f));
}

void gb_set_label(struct gb_state *s, const char *label)
{
	s->st->SetLabel(label);
}

void gb_skip(struct gb_state *s, const char *reason)
{
	s->st->SkipWithError(reason);
}

void gb_add_context(const char *key, const char *value)
{
	benchmark::AddCustomContext(key, value);
}

int gb_initialize(int argc, char **argv, bool capture_json)
{
	// The library only reports to a file reporter when --benchmark_out
	// is set; /dev/null satisfies it, MemoryJSONReporter does the rest.
	static std::string out = "--benchmark_out=/dev/null";
	static char **args;
	int n = 0, i;

	args = static_cast<char **>(calloc(argc + 2, sizeof(*args)));
	if (!args)
		return -1;
	args[n++] = argv[0];
	if (capture_json)
		args[n++] = &out[0];
	for (i = 1; i < argc; i++)
		args[n++] = argv[i];
	// Before the flags: a --benchmark_context=schema_version=... is then
	// refused by the library (with a message), never written instead.
	benchmark::AddCustomContext("schema_version", MN_SCHEMA_VERSION_STR);
	benchmark::Initialize(&n, args);
	return benchmark::ReportUnrecognizedArguments(n, args) ? -1 : 0;
}

namespace {

// The library insists on opening --benchmark_out itself and pointing the
// file reporter at it; this reporter keeps its output in memory instead.
class MemoryJSONReporter : public benchmark::JSONReporter {
public:
	bool ReportContext(const Context &context) override
	{
		SetOutputStream(&buf_);
		SetErrorStream(&std::cerr);
		return JSONReporter::ReportContext(context);
	}
	void ReportRuns(const std::vector<Run> &runs) override
	{
		SetOutputStream(&buf_);
		JSONReporter::ReportRuns(runs);
	}
	void Finalize() override
	{
		SetOutputStream(&buf_);
		JSONReporter::Finalize();
	}
	std::string str() const
	{
		return buf_.str();
	}

private:
	std::ostringstream buf_;
};

} // namespace

size_t gb_run(char **json)
{
	MemoryJSONReporter file;
	size_t n;

	if (!json)
		return benchmark::RunSpecifiedBenchmarks();
	n = benchmark::RunSpecifiedBenchmarks(nullptr, &file);
	*json = strdup(file.str().c_str());
	return n;
}

void gb_shutdown(void)
{
	benchmark::Shutdown();
}
